using System.Net;
using System.Text;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Telephony.Registrar;

/// <summary>Whether a binding's phone answers qualify pings.</summary>
public enum Reachability
{
    /// <summary>Registered, not pinged yet: counts as live.</summary>
    Unknown,

    /// <summary>Answered the last ping.</summary>
    Reachable,

    /// <summary>Missed the configured number of pings, or its TCP connection closed.</summary>
    Unreachable,
}

/// <summary>
/// One contact registered for a user (RFC 3261 §10.3). Immutable; the store swaps whole lists.
/// Persisted by <see cref="IBindingPersistence"/> so a restart keeps registrations until they expire.
/// </summary>
public sealed record SipBinding
{
    /// <summary>The SIP user name (the AOR's user part).</summary>
    public required string UserName { get; init; }

    /// <summary>The contact URI as registered (without angle brackets).</summary>
    public required string ContactUri { get; init; }

    /// <summary>The Call-ID of the REGISTER that last updated the binding.</summary>
    public required string CallId { get; init; }

    /// <summary>The CSeq number of that REGISTER.</summary>
    public required uint CSeq { get; init; }

    /// <summary>When the binding was first created.</summary>
    public required DateTimeOffset RegisteredAt { get; init; }

    /// <summary>When the binding was last refreshed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it expires unless refreshed.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The User-Agent header of the last REGISTER, if any.</summary>
    public string? UserAgent { get; init; }

    /// <summary>Transport of the flow the REGISTER came on.</summary>
    public SipTransportKind Transport { get; init; }

    /// <summary>The source address of the REGISTER (where qualify pings go; NAT-friendly).</summary>
    public required IPEndPoint RemoteEndPoint { get; init; }

    /// <summary>The local listener endpoint the REGISTER arrived on.</summary>
    public IPEndPoint? LocalEndPoint { get; init; }

    /// <summary>The TCP connection carrying the registration (0 for UDP or after a restart).</summary>
    public long ConnectionId { get; init; }

    /// <summary>Owner ids copied from the credentials, so presence events need no lookup.</summary>
    public long EmployeeId { get; init; }

    /// <summary>Account id copied from the credentials.</summary>
    public int AccountId { get; init; }

    /// <summary>The Contact's <c>q</c> preference (RFC 3261 §10.2.1.2), 0.0–1.0; 1.0 when absent. Higher rings first
    /// when a caller tries one device at a time.</summary>
    public double Q { get; init; } = 1.0;

    /// <summary>The Contact's <c>+sip.instance</c> (RFC 5626 §4.1), the device's stable id, without quotes; null if absent.</summary>
    public string? InstanceId { get; init; }

    /// <summary>The Contact's <c>reg-id</c> (RFC 5626), or null.</summary>
    public int? RegId { get; init; }

    /// <summary>Qualify state (runtime only; not persisted).</summary>
    public Reachability Reachability { get; init; }

    /// <summary>Consecutive unanswered qualify pings (runtime only).</summary>
    public int MissedPings { get; init; }

    /// <summary>When the phone last answered a qualify ping (runtime only), or null.</summary>
    public DateTimeOffset? LastQualifiedAt { get; init; }

    /// <summary>The round-trip time of that answer (runtime only), or null.</summary>
    public TimeSpan? RoundTrip { get; init; }

    /// <summary>The expiry last written to <see cref="IBindingPersistence"/> for this contact (runtime only), or null when
    /// not written yet. A refresh that moves the expiry by less than <see cref="BindingDurability"/> allows is not
    /// written, so the stored expiry may lag the live one by that much.</summary>
    public DateTimeOffset? StoredExpiresAt { get; init; }

    /// <summary>The node holding the phone's flow when another node holds it (several nodes; read for a call, never
    /// stored here), else null.</summary>
    public Cluster.RemoteNode? HeldBy { get; init; }

    /// <summary>The flow to reach the phone on.</summary>
    public SipFlow? Flow => LocalEndPoint is null ? null : new SipFlow(Transport, LocalEndPoint, RemoteEndPoint, ConnectionId);

    /// <summary>Contact comparison key (RFC 3261 §19.1.4 simplified: scheme/host case-insensitive).</summary>
    public string ContactKey => ContactKeys.For(ContactUri);

    /// <summary>True when not expired at <paramref name="now"/> and not marked unreachable.</summary>
    public bool IsLive(DateTimeOffset now) => ExpiresAt > now && Reachability != Reachability.Unreachable;
}

/// <summary>Builds comparison keys for contact URIs.</summary>
internal static class ContactKeys
{
    public static string For(string contactUri)
    {
        // Host and scheme are case-insensitive, the user part is not; parameters other than transport rarely
        // differ between refreshes of one phone, so the whole URI with a lower-cased host part is the key.
        var at = contactUri.IndexOf('@', StringComparison.Ordinal);
        var colon = contactUri.IndexOf(':', StringComparison.Ordinal);
        if (at < 0)
        {
            return contactUri.ToLowerInvariant();
        }

        // Phones send lower-case schemes and hosts: the URI is then its own key, with no new string per REGISTER.
        if (colon >= 0 && IsLowerAscii(contactUri.AsSpan(0, colon)) && IsLowerAscii(contactUri.AsSpan(at)))
        {
            return contactUri;
        }

        return string.Concat(contactUri.AsSpan(0, colon).ToString().ToLowerInvariant(), contactUri.AsSpan(colon, at - colon),
            contactUri[at..].ToLowerInvariant());
    }

    /// <summary>
    /// True when <c>For(a) == For(b)</c>, without making either key: scheme and the part from the first '@' on
    /// compared case-insensitively (the same char-by-char invariant lower-casing <see cref="For"/> applies), the user
    /// part exactly. The registrar compares every contact of a REGISTER with the AOR's bindings on each refresh.
    /// </summary>
    public static bool Match(string a, string b)
    {
        if (ReferenceEquals(a, b) || string.Equals(a, b, StringComparison.Ordinal))
        {
            return true;
        }

        // Lower-casing keeps lengths and never makes or removes '@' or ':', so equal keys have their parts at the same places.
        if (a.Length != b.Length)
        {
            return false;
        }

        var at = a.IndexOf('@', StringComparison.Ordinal);
        if (at != b.IndexOf('@', StringComparison.Ordinal))
        {
            return false;
        }

        if (at < 0)
        {
            return LowerEquals(a, b);
        }

        var colon = a.IndexOf(':', StringComparison.Ordinal);
        if (colon != b.IndexOf(':', StringComparison.Ordinal) || colon < 0)
        {
            // No scheme (For would throw): compare the keys themselves, off the path of real contacts.
            return colon == b.IndexOf(':', StringComparison.Ordinal) && For(a) == For(b);
        }

        return LowerEquals(a.AsSpan(0, colon), b.AsSpan(0, colon))
            && a.AsSpan(colon, at - colon).SequenceEqual(b.AsSpan(colon, at - colon))
            && LowerEquals(a.AsSpan(at), b.AsSpan(at));
    }

    private static bool LowerEquals(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i])
            {
                continue;
            }

            if (!char.IsAscii(a[i]) || !char.IsAscii(b[i]))
            {
                // Outside ASCII (surrogate pairs included) exactly as For lower-cases: whole strings.
                return string.Equals(a.ToString().ToLowerInvariant(), b.ToString().ToLowerInvariant(), StringComparison.Ordinal);
            }

            if (char.ToLowerInvariant(a[i]) != char.ToLowerInvariant(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLowerAscii(ReadOnlySpan<char> text) => !text.ContainsAnyInRange('A', 'Z') && Ascii.IsValid(text);
}
