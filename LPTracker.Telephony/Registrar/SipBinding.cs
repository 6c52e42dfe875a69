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
/// One contact registered for a user (RFC 3261 §10.3). Persisted by <see cref="IBindingPersistence"/> so a restart keeps
/// registrations until they expire.
/// </summary>
/// <remarks>
/// Immutable except for what a refresh or a qualify answer moves (decision 0090): <see cref="CallId"/>,
/// <see cref="CSeq"/>, <see cref="UpdatedAt"/>, <see cref="ExpiresAt"/> and the qualify state are updated in place by
/// the location store under the user's lock, so refreshing an unchanged contact allocates nothing that outlives the
/// request (a replaced binding reached gen 2 and died there). The Call-ID is kept as characters in a buffer of the
/// binding's own, rewritten in place (decision 0096): a REGISTER with a new Call-ID (sipp's every one, a phone's after a
/// restart) would otherwise leave its string referenced from a gen-2 binding until the next refresh, and such strings
/// were most of what died in gen 2. Each other property reads one word and is consistent by itself; <see cref="CallId"/>
/// and <see cref="State"/> read as of one update (a sequence lock), and a <c>with</c> copy starts from such a
/// consistent view.
/// </remarks>
public sealed record SipBinding
{
    private const long NoTicks = -1;

    // The sequence lock over the fields below: odd while an update writes them. Writers are serialised by the
    // location store's per-user lock; readers never wait for it.
    private int _version;
    private char[] _callId = [];
    private int _callIdLength;
    private uint _cseq;
    private long _updatedTicks;
    private long _expiresTicks;
    private int _reachability;
    private int _missedPings;
    private long _lastQualifiedTicks = NoTicks;
    private long _roundTripTicks = NoTicks;

    /// <summary>Creates a binding; set its members with an object initializer.</summary>
    public SipBinding()
    {
    }

    /// <summary>The copy a <c>with</c> expression starts from: the mutable part read as of one update, never torn, and
    /// a sequence lock of its own.</summary>
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    private SipBinding(SipBinding original)
    {
        // Set before the CallId init below copies into it (the compiler does not count the field initializer here).
        _callId = [];
        UserName = original.UserName;
        ContactUri = original.ContactUri;
        RegisteredAt = original.RegisteredAt;
        UserAgent = original.UserAgent;
        Transport = original.Transport;
        RemoteEndPoint = original.RemoteEndPoint;
        LocalEndPoint = original.LocalEndPoint;
        ConnectionId = original.ConnectionId;
        EmployeeId = original.EmployeeId;
        AccountId = original.AccountId;
        Q = original.Q;
        InstanceId = original.InstanceId;
        RegId = original.RegId;
        StoredExpiresAt = original.StoredExpiresAt;
        HeldBy = original.HeldBy;
        var state = original.State;
        CallId = state.CallId;
        CSeq = state.CSeq;
        UpdatedAt = state.UpdatedAt;
        ExpiresAt = state.ExpiresAt;
        Reachability = state.Reachability;
        MissedPings = state.MissedPings;
        LastQualifiedAt = state.LastQualifiedAt;
        RoundTrip = state.RoundTrip;
    }

    /// <summary>The SIP user name (the AOR's user part).</summary>
    public required string UserName { get; init; }

    /// <summary>The contact URI as registered (without angle brackets).</summary>
    public required string ContactUri { get; init; }

    /// <summary>The Call-ID of the REGISTER that last updated the binding (a new string on every read).</summary>
    public required string CallId
    {
        get
        {
            var spinner = default(SpinWait);
            while (true)
            {
                var version = Volatile.Read(ref _version);
                if ((version & 1) == 0 && Volatile.Read(ref _callId) is var chars && Volatile.Read(ref _callIdLength) is var length
                    && length <= chars.Length)
                {
                    var text = new string(chars, 0, length);
                    // A full fence: the copy above is done before the version is read again (an acquire read would not
                    // keep the plain loads of the copy from moving after it).
                    Interlocked.MemoryBarrier();
                    if (Volatile.Read(ref _version) == version)
                    {
                        return text;
                    }
                }

                spinner.SpinOnce();
            }
        }

        init => WriteCallId(value);
    }

    /// <summary>The CSeq number of that REGISTER.</summary>
    public required uint CSeq { get => Volatile.Read(ref _cseq); init => _cseq = value; }

    /// <summary>When the binding was first created.</summary>
    public required DateTimeOffset RegisteredAt { get; init; }

    /// <summary>When the binding was last refreshed (UTC).</summary>
    public required DateTimeOffset UpdatedAt { get => Utc(Volatile.Read(ref _updatedTicks)); init => _updatedTicks = value.UtcTicks; }

    /// <summary>When it expires unless refreshed (UTC).</summary>
    public required DateTimeOffset ExpiresAt { get => Utc(Volatile.Read(ref _expiresTicks)); init => _expiresTicks = value.UtcTicks; }

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
    public Reachability Reachability
    {
        get => (Reachability)Volatile.Read(ref _reachability);
        init => _reachability = (int)value;
    }

    /// <summary>Consecutive unanswered qualify pings (runtime only).</summary>
    public int MissedPings { get => Volatile.Read(ref _missedPings); init => _missedPings = value; }

    /// <summary>When the phone last answered a qualify ping (runtime only), or null.</summary>
    public DateTimeOffset? LastQualifiedAt
    {
        get => Volatile.Read(ref _lastQualifiedTicks) is var t and not NoTicks ? Utc(t) : null;
        init => _lastQualifiedTicks = value?.UtcTicks ?? NoTicks;
    }

    /// <summary>The round-trip time of that answer (runtime only), or null.</summary>
    public TimeSpan? RoundTrip
    {
        get => Volatile.Read(ref _roundTripTicks) is var t and not NoTicks ? TimeSpan.FromTicks(t) : null;
        init => _roundTripTicks = value?.Ticks ?? NoTicks;
    }

    /// <summary>The expiry last written to <see cref="IBindingPersistence"/> for this contact (runtime only), or null when
    /// not written yet. A refresh that moves the expiry by less than <see cref="BindingDurability"/> allows is not
    /// written, so the stored expiry may lag the live one by that much.</summary>
    public DateTimeOffset? StoredExpiresAt { get; init; }

    /// <summary>The node holding the phone's flow when another node holds it (several nodes; read for a call, never
    /// stored here), else null.</summary>
    public Cluster.RemoteNode? HeldBy { get; init; }

    /// <summary>The fields a refresh or a qualify answer moves, all as of one update (never one field from before an
    /// update and another from after it).</summary>
    public SipBindingState State
    {
        get
        {
            var spinner = default(SpinWait);
            while (true)
            {
                var version = Volatile.Read(ref _version);
                if ((version & 1) == 0)
                {
                    // Acquire reads: none moves after the version read that validates them.
                    var state = new SipBindingState(
                        CallId, Volatile.Read(ref _cseq), Utc(Volatile.Read(ref _updatedTicks)),
                        Utc(Volatile.Read(ref _expiresTicks)), (Reachability)Volatile.Read(ref _reachability), Volatile.Read(ref _missedPings),
                        Volatile.Read(ref _lastQualifiedTicks) is var q and not NoTicks ? Utc(q) : null,
                        Volatile.Read(ref _roundTripTicks) is var r and not NoTicks ? TimeSpan.FromTicks(r) : null);
                    if (Volatile.Read(ref _version) == version)
                    {
                        return state;
                    }
                }

                spinner.SpinOnce();
            }
        }
    }

    /// <summary>When the binding was last refreshed and when it expires, as of one update: what a 200 lists, read without
    /// the Call-ID (which <see cref="State"/> makes a string of).</summary>
    internal (DateTimeOffset UpdatedAt, DateTimeOffset ExpiresAt) Times
    {
        get
        {
            var spinner = default(SpinWait);
            while (true)
            {
                var version = Volatile.Read(ref _version);
                if ((version & 1) == 0)
                {
                    var times = (Utc(Volatile.Read(ref _updatedTicks)), Utc(Volatile.Read(ref _expiresTicks)));
                    if (Volatile.Read(ref _version) == version)
                    {
                        return times;
                    }
                }

                spinner.SpinOnce();
            }
        }
    }

    /// <summary>Whether the binding's Call-ID is <paramref name="callId"/> (RFC 3261 §10.3 step 7 compares them on every
    /// REGISTER), without making a string of it.</summary>
    public bool HasCallId(ReadOnlySpan<char> callId)
    {
        var spinner = default(SpinWait);
        while (true)
        {
            var version = Volatile.Read(ref _version);
            if ((version & 1) == 0 && Volatile.Read(ref _callId) is var chars && Volatile.Read(ref _callIdLength) is var length
                && length <= chars.Length)
            {
                var same = chars.AsSpan(0, length).SequenceEqual(callId);
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref _version) == version)
                {
                    return same;
                }
            }

            spinner.SpinOnce();
        }
    }

    /// <summary>The flow to reach the phone on.</summary>
    public SipFlow? Flow => LocalEndPoint is null ? null : new SipFlow(Transport, LocalEndPoint, RemoteEndPoint, ConnectionId);

    /// <summary>Contact comparison key (RFC 3261 §19.1.4 simplified: scheme/host case-insensitive).</summary>
    public string ContactKey => ContactKeys.For(ContactUri);

    /// <summary>True when not expired at <paramref name="now"/> and not marked unreachable.</summary>
    public bool IsLive(DateTimeOffset now) => ExpiresAt > now && Reachability != Reachability.Unreachable;

    /// <inheritdoc />
    /// <remarks>Member-wise as records compare, with the mutable part compared as of one update each (the sequence
    /// lock's version is bookkeeping, not state).</remarks>
    public bool Equals(SipBinding? other) =>
        other is not null && (ReferenceEquals(this, other) || (State == other.State
            && UserName == other.UserName && ContactUri == other.ContactUri && RegisteredAt == other.RegisteredAt
            && UserAgent == other.UserAgent && Transport == other.Transport && Equals(RemoteEndPoint, other.RemoteEndPoint)
            && Equals(LocalEndPoint, other.LocalEndPoint) && ConnectionId == other.ConnectionId && EmployeeId == other.EmployeeId
            && AccountId == other.AccountId && Q.Equals(other.Q) && InstanceId == other.InstanceId && RegId == other.RegId
            && StoredExpiresAt == other.StoredExpiresAt && Equals(HeldBy, other.HeldBy)));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(UserName, ContactUri, RemoteEndPoint);

    /// <summary>A refresh of this very contact by the same flow with nothing durable changed (decision 0090). Only the
    /// location store's update for this user may call it: updates of one binding must be serialised.</summary>
    internal void Refresh(ReadOnlySpan<char> callId, uint cseq, DateTimeOffset updatedAt, DateTimeOffset expiresAt)
    {
        BeginUpdate();
        WriteCallId(callId);
        Volatile.Write(ref _cseq, cseq);
        Volatile.Write(ref _updatedTicks, updatedAt.UtcTicks);
        Volatile.Write(ref _expiresTicks, expiresAt.UtcTicks);
        EndUpdate();
    }

    /// <summary>Records a qualify result in place; the same serialisation as <see cref="Refresh"/>.</summary>
    internal void SetQualify(Reachability reachability, int missedPings, DateTimeOffset? lastQualifiedAt, TimeSpan? roundTrip)
    {
        BeginUpdate();
        Volatile.Write(ref _reachability, (int)reachability);
        Volatile.Write(ref _missedPings, missedPings);
        Volatile.Write(ref _lastQualifiedTicks, lastQualifiedAt?.UtcTicks ?? NoTicks);
        Volatile.Write(ref _roundTripTicks, roundTrip?.Ticks ?? NoTicks);
        EndUpdate();
    }

    // Interlocked: a full fence, so no field write moves before the version turns odd. Volatile.Write: a release, so
    // none moves after it turns even again.
    private void BeginUpdate() => Interlocked.Increment(ref _version);

    private void EndUpdate() => Volatile.Write(ref _version, _version + 1);

    /// <summary>Copies the Call-ID into the binding's buffer, in place when it fits; a longer one gets a new buffer with
    /// room to spare, so a phone's Call-IDs of varying length settle on one.</summary>
    private void WriteCallId(ReadOnlySpan<char> callId)
    {
        var chars = _callId;
        if (callId.Length > chars.Length)
        {
            chars = new char[Math.Max(32, (callId.Length + 15) & ~15)];
            callId.CopyTo(chars);
            Volatile.Write(ref _callIdLength, callId.Length);
            Volatile.Write(ref _callId, chars);
            return;
        }

        callId.CopyTo(chars);
        Volatile.Write(ref _callIdLength, callId.Length);
    }

    private static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);
}

/// <summary>What a refresh or a qualify answer moves in a <see cref="SipBinding"/>, read as of one update.</summary>
/// <param name="CallId">The Call-ID of the REGISTER that last updated the binding.</param>
/// <param name="CSeq">The CSeq number of that REGISTER.</param>
/// <param name="UpdatedAt">When the binding was last refreshed.</param>
/// <param name="ExpiresAt">When it expires unless refreshed.</param>
/// <param name="Reachability">Qualify state.</param>
/// <param name="MissedPings">Consecutive unanswered qualify pings.</param>
/// <param name="LastQualifiedAt">When the phone last answered a qualify ping, or null.</param>
/// <param name="RoundTrip">The round-trip time of that answer, or null.</param>
public readonly record struct SipBindingState(
    string CallId, uint CSeq, DateTimeOffset UpdatedAt, DateTimeOffset ExpiresAt, Reachability Reachability, int MissedPings,
    DateTimeOffset? LastQualifiedAt, TimeSpan? RoundTrip);

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
