namespace LPTracker.Telephony.Registrar;

/// <summary>
/// Which binding changes must reach <see cref="IBindingPersistence"/> (decision 0063). A new, removed or moved contact
/// (address, transport, user agent, q, instance, reg-id, owner) is always written. A refresh that changes nothing of
/// that only moves the expiry: it is written when the expiry moved by more than <see cref="ExpiryLagDivisor"/>th of the
/// binding's interval past the expiry stored, so a phone re-registering every few seconds (or a benchmark registering
/// every user again) costs no database write, while a phone refreshing at up to ~94 % of its interval (real phones
/// refresh at 50–90 %) is written at every refresh and never looks expired in the database while it is alive. Call-ID
/// and CSeq are ordering hints (RFC 3261 §10.3 step 7), not durable state: after a restart a stale pair only lets a
/// reordered REGISTER of before the restart through, and its digest nonce has expired by then.
/// </summary>
public static class BindingDurability
{
    /// <summary>The stored expiry may lag the live one by at most 1/16 of the binding's interval.</summary>
    public const int ExpiryLagDivisor = 16;

    /// <summary>True when <paramref name="next"/> differs durably from <paramref name="previous"/> (the user's list
    /// as last held, whose durable fields are those stored), or an expiry moved too far past the one stored.</summary>
    public static bool MustWrite(IReadOnlyList<SipBinding>? previous, IReadOnlyList<SipBinding> next)
    {
        if (previous is null || previous.Count != next.Count)
        {
            return true;
        }

        for (var i = 0; i < next.Count; i++)
        {
            var b = next[i];
            if (b.StoredExpiresAt is not { } stored || b.ExpiresAt - stored > (b.ExpiresAt - b.UpdatedAt) / ExpiryLagDivisor)
            {
                return true;
            }

            // Refreshes keep the order of the list, so the same position is almost always the same contact.
            var old = string.Equals(previous[i].ContactUri, b.ContactUri, StringComparison.Ordinal) ? previous[i] : Find(previous, b.ContactUri);
            if (old is null || !SameDurably(old, b))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The list as written: every binding's <see cref="SipBinding.StoredExpiresAt"/> is its expiry.</summary>
    public static IReadOnlyList<SipBinding> AsWritten(IReadOnlyList<SipBinding> bindings) =>
        Lags(bindings)
            ? bindings.Select(b => b.StoredExpiresAt == b.ExpiresAt ? b : b with { StoredExpiresAt = b.ExpiresAt }).ToArray()
            : bindings;

    /// <summary>True when some binding's live expiry (or Call-ID/CSeq) is newer than what was written.</summary>
    public static bool Lags(IReadOnlyList<SipBinding> bindings)
    {
        for (var i = 0; i < bindings.Count; i++)
        {
            if (bindings[i].StoredExpiresAt != bindings[i].ExpiresAt)
            {
                return true;
            }
        }

        return false;
    }

    private static SipBinding? Find(IReadOnlyList<SipBinding> bindings, string contactUri)
    {
        for (var i = 0; i < bindings.Count; i++)
        {
            if (string.Equals(bindings[i].ContactUri, contactUri, StringComparison.Ordinal))
            {
                return bindings[i];
            }
        }

        return null;
    }

    private static bool SameDurably(SipBinding a, SipBinding b) =>
        a.RemoteEndPoint.Equals(b.RemoteEndPoint) && a.Transport == b.Transport
        && string.Equals(a.UserAgent, b.UserAgent, StringComparison.Ordinal)
        && a.Q == b.Q && string.Equals(a.InstanceId, b.InstanceId, StringComparison.Ordinal) && a.RegId == b.RegId
        && a.EmployeeId == b.EmployeeId && a.AccountId == b.AccountId && a.RegisteredAt == b.RegisteredAt;
}
