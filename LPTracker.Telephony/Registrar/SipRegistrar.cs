using System.Globalization;
using System.Net;
using LPTracker.Telephony.Sip.Auth;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transactions;
using LPTracker.Telephony.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Registrar;

/// <summary>
/// The REGISTER handler (RFC 3261 §10.3): authenticate, check AOR ownership, validate contacts and expiries,
/// enforce Call-ID/CSeq ordering and the per-AOR limit, apply atomically and answer with all current bindings.
/// </summary>
public sealed class SipRegistrar : IResponseRegenerator
{
    private readonly SipOptions _options;
    private readonly DigestAuthenticator _authenticator;
    private readonly FailureBanList _bans;
    private readonly ILocationStore _store;
    private readonly ILogger _logger;

    /// <summary>Creates the registrar.</summary>
    public SipRegistrar(SipOptions options, DigestAuthenticator authenticator, FailureBanList bans, ILocationStore store, ILogger logger)
    {
        _options = options;
        _authenticator = authenticator;
        _bans = bans;
        _store = store;
        _logger = logger;
    }

    /// <summary>Processes a validated REGISTER and returns the response to send, or null to drop it (banned source).</summary>
    public async ValueTask<SipResponse?> HandleAsync(SipRequest request, SipFlow flow, CancellationToken cancellationToken)
    {
        var to = request.ParseTo()!;
        if (!to.Uri.IsSip)
        {
            // An AOR must be a SIP or SIPS URI (RFC 4475 §3.3.4).
            return SipResponseFactory.Create(request, 400, "AOR Must Be a SIP URI");
        }

        // Step 1: the Request-URI names a domain we are the registrar for; bindings for another domain (or an arbitrary
        // IP literal) are not ours to make.
        if (to.Uri.User is null || !IsOurHost(to.Uri.Host, flow)
            || request.ParsedRequestUri is not { } target || !IsOurHost(target.Host, flow))
        {
            return SipResponseFactory.Create(request, 404, "Not Found");
        }

        // Contact syntax is checked before authentication: a malformed request is a 400 whoever sends it.
        var error = RegistrationRequest.TryRead(request, _options.DefaultExpires, out var registration);
        if (error is { } e)
        {
            return SipResponseFactory.Create(request, e.Status, e.Reason);
        }

        var client = flow.Remote.Address;
        var aorUser = Uri.UnescapeDataString(to.Uri.User);
        if (IsRefused(client, aorUser))
        {
            _bans.RecordRefused(client);
            return null;
        }

        var auth = await _authenticator.AuthenticateAsync(request, client, cancellationToken).ConfigureAwait(false);
        switch (auth.Outcome)
        {
            case AuthOutcome.Malformed:
                return SipResponseFactory.Create(request, 400, auth.Reason ?? "Bad Credentials");
            case AuthOutcome.Failed:
                // Log the attempt, never the credentials themselves. Debug, not Information: under a guessing attack a
                // line per request would amplify it onto the disk; the ban (a Warning) is the signal operators need.
                _logger.LogDebug("SIP authentication failed for AOR user {User} from {Remote}", to.Uri.User, flow.Remote);
                _bans.RecordFailure(client, aorUser);
                return Challenge(request, client, stale: false);
            case AuthOutcome.Challenge:
            case AuthOutcome.Stale:
                return Challenge(request, client, auth.Outcome == AuthOutcome.Stale);
        }

        _bans.RecordSuccess(client, aorUser);
        var user = auth.User!;
        if (!string.Equals(user.UserName, aorUser, StringComparison.Ordinal))
        {
            return SipResponseFactory.Create(request, 403, "Forbidden");
        }

        if (IsTooBrief(registration!))
        {
            var tooBrief = SipResponseFactory.Create(request, 423, "Interval Too Brief");
            tooBrief.AddHeader(SipHeaderNames.MinExpires, _options.MinExpires.ToString(CultureInfo.InvariantCulture));
            return tooBrief;
        }

        var cseq = request.ParseCSeq()!.Value.Number;
        var context = new RegistrationContext(registration!, request.CallId!, cseq, request.GetHeader(SipHeaderNames.UserAgent), flow, user);
        // A static lambda and the state passed along: no closure and no delegate per REGISTER.
        var outcome = await _store.UpdateAsync(user.UserName, (Registrar: this, Context: context),
                static (s, current, now) => s.Registrar.Apply(s.Context, current, now), cancellationToken)
            .ConfigureAwait(false);
        if (outcome.Error is { } rejected)
        {
            return SipResponseFactory.Create(request, rejected.Status, rejected.Reason);
        }

        Diagnostics.SipMetrics.Registrations.Add(1);
        return Ok(request, outcome.Bindings!, outcome.Now);
    }

    private bool IsTooBrief(RegistrationRequest registration)
    {
        // An index loop, not Any() or foreach over the interface: no closure and no boxed enumerator on every REGISTER.
        for (var i = 0; i < registration.Contacts.Count; i++)
        {
            var contact = registration.Contacts[i];
            if (contact.Expires != 0 && contact.Expires < _options.MinExpires)
            {
                return true;
            }
        }

        return false;
    }

    private BindingUpdate<ApplyResult> Apply(RegistrationContext ctx, IReadOnlyList<SipBinding> current, DateTimeOffset now)
    {
        if (!ctx.Registration.IsWildcard && ctx.Registration.Contacts.Count == 0)
        {
            // A query: no change, just list the bindings (RFC 3261 §10.2.3).
            return new BindingUpdate<ApplyResult>(null, new ApplyResult(null, current, now));
        }

        if (ctx.Registration.IsWildcard)
        {
            if (current.Any(b => b.HasCallId(ctx.CallId) && ctx.CSeq <= b.CSeq))
            {
                return Reject(new SipError(500, "Out of Order CSeq"), now);
            }

            return new BindingUpdate<ApplyResult>([], new ApplyResult(null, [], now));
        }

        if (ctx.Registration.Contacts is [{ Expires: > 0 } only] && IndexOfContact(current, only.Uri) is var at and >= 0)
        {
            // The common case, a phone refreshing its one contact: the same list with that binding replaced, built as
            // the array that is stored (no List beside it). Same checks as below; the count does not grow, so the
            // contact limit cannot apply.
            var refreshed = current[at];
            if (refreshed.HasCallId(ctx.CallId) && ctx.CSeq <= refreshed.CSeq)
            {
                return Reject(new SipError(500, "Out of Order CSeq"), now);
            }

            if (IsSameDevice(ctx, only, refreshed))
            {
                // Nothing but the ordering and the times moved: the stored binding takes them in place and the list
                // stays as it is, so this REGISTER leaves nothing behind that outlives it (decision 0090).
                refreshed.Refresh(ctx.CallId, ctx.CSeq, now, ExpiresAt(only, now));
                return new BindingUpdate<ApplyResult>(current, new ApplyResult(null, current, now));
            }

            var replaced = new SipBinding[current.Count];
            for (var i = 0; i < replaced.Length; i++)
            {
                replaced[i] = i == at ? NewBinding(ctx, only, refreshed, now) : current[i];
            }

            return new BindingUpdate<ApplyResult>(replaced, new ApplyResult(null, replaced, now));
        }

        var next = new List<SipBinding>(current.Count + ctx.Registration.Contacts.Count);
        next.AddRange(current);
        for (var c = 0; c < ctx.Registration.Contacts.Count; c++)
        {
            var contact = ctx.Registration.Contacts[c];
            var index = IndexOfContact(next, contact.Uri);
            var existing = index >= 0 ? next[index] : null;
            // Same Call-ID with a CSeq not higher than the stored one is an old or reordered request (step 7).
            if (existing is not null && existing.HasCallId(ctx.CallId) && ctx.CSeq <= existing.CSeq)
            {
                return Reject(new SipError(500, "Out of Order CSeq"), now);
            }

            if (contact.Expires == 0)
            {
                if (index >= 0)
                {
                    next.RemoveAt(index);
                }

                continue;
            }

            var binding = NewBinding(ctx, contact, existing, now);
            if (index >= 0)
            {
                next[index] = binding;
            }
            else
            {
                next.Add(binding);
            }
        }

        if (next.Count > _options.MaxContactsPerAor && next.Count > current.Count
            && !ContactLimit.MakeRoom(next, ctx.Registration.Contacts, ctx.Flow.Remote.Address, ctx.UserAgent, _options.MaxContactsPerAor))
        {
            // Only when this one request lists more contacts than the limit allows.
            return Reject(new SipError(403, "Too Many Contacts"), now);
        }

        return new BindingUpdate<ApplyResult>(next, new ApplyResult(null, next, now));
    }

    private static int IndexOfContact(IReadOnlyList<SipBinding> bindings, string contactUri)
    {
        for (var i = 0; i < bindings.Count; i++)
        {
            // Compared as their keys would be, without making the keys (two strings per REGISTER when a phone writes
            // ";transport=UDP" in capitals).
            if (ContactKeys.Match(bindings[i].ContactUri, contactUri))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>True when <paramref name="existing"/> is the contact as this REGISTER would store it again, but for
    /// Call-ID, CSeq and times: same URI, flow, owner, user agent and parameters.</summary>
    private static bool IsSameDevice(RegistrationContext ctx, RequestedContact contact, SipBinding existing) =>
        string.Equals(existing.ContactUri, contact.Uri, StringComparison.Ordinal)
        && existing.Transport == ctx.Flow.Transport && existing.RemoteEndPoint.Equals(ctx.Flow.Remote)
        && Equals(existing.LocalEndPoint, ctx.Flow.Local) && existing.ConnectionId == ctx.Flow.ConnectionId
        && existing.EmployeeId == ctx.User.EmployeeId && existing.AccountId == ctx.User.AccountId
        && string.Equals(existing.UserAgent, ctx.UserAgent, StringComparison.Ordinal)
        && existing.Q.Equals(contact.Q) && string.Equals(existing.InstanceId, contact.InstanceId, StringComparison.Ordinal)
        && existing.RegId == contact.RegId;

    private DateTimeOffset ExpiresAt(RequestedContact contact, DateTimeOffset now) => now.AddSeconds(Math.Min(contact.Expires, _options.MaxExpires));

    private SipBinding NewBinding(RegistrationContext ctx, RequestedContact contact, SipBinding? existing, DateTimeOffset now)
    {
        // A refresh from the same address keeps what qualify learnt (and its schedule, keyed by contact): a phone that
        // refreshes REGISTER but never answers OPTIONS must stay Disconnected instead of flapping Online every refresh.
        var sameFlow = existing is not null && existing.RemoteEndPoint.Equals(ctx.Flow.Remote) && existing.Transport == ctx.Flow.Transport;
        // A refresh keeps the existing binding's equal strings and endpoints rather than this request's copies: the
        // binding lives on (in gen 2 once the store's list is promoted), so whatever it references from the request
        // would survive with it; kept from the binding before, the request's copies die young with the request.
        return new SipBinding
        {
            UserName = ctx.User.UserName,
            ContactUri = Same(existing?.ContactUri, contact.Uri),
            // Copied into the binding's own buffer (decision 0096): the request's string dies with the request.
            CallId = ctx.CallId,
            CSeq = ctx.CSeq,
            RegisteredAt = existing?.RegisteredAt ?? now,
            UpdatedAt = now,
            ExpiresAt = ExpiresAt(contact, now),
            UserAgent = existing?.UserAgent is { } agent && agent == ctx.UserAgent ? agent : ctx.UserAgent,
            Transport = ctx.Flow.Transport,
            RemoteEndPoint = sameFlow ? existing!.RemoteEndPoint : ctx.Flow.Remote,
            LocalEndPoint = existing?.LocalEndPoint is { } local && local.Equals(ctx.Flow.Local) ? local : ctx.Flow.Local,
            ConnectionId = ctx.Flow.ConnectionId,
            EmployeeId = ctx.User.EmployeeId,
            AccountId = ctx.User.AccountId,
            Q = contact.Q,
            InstanceId = existing?.InstanceId is { } instance && instance == contact.InstanceId ? instance : contact.InstanceId,
            RegId = contact.RegId,
            Reachability = sameFlow ? existing!.Reachability : Reachability.Unknown,
            MissedPings = sameFlow ? existing!.MissedPings : 0,
            LastQualifiedAt = sameFlow ? existing!.LastQualifiedAt : null,
            RoundTrip = sameFlow ? existing!.RoundTrip : null,
            // What the database holds for this contact: a refresh that only moves the expiry a little is not written.
            StoredExpiresAt = existing?.StoredExpiresAt,
        };
    }

    private static string Same(string? kept, string value) => kept is not null && kept == value ? kept : value;

    private static BindingUpdate<ApplyResult> Reject(SipError error, DateTimeOffset now) => new(null, new ApplyResult(error, null, now));

    /// <summary>
    /// A retransmission of a REGISTER this registrar answered with 200 (decision 0075): the same 200 built again from the
    /// retransmission, listing the AOR's bindings as they are now (RFC 3261 §10.3 step 8) and timed as the first answer
    /// was, so it is byte-identical while they are unchanged. Nothing is authenticated or applied again: the request was
    /// processed once (§17.2.2), and its nonce count would now be a replay.
    /// </summary>
    SipResponse IResponseRegenerator.Regenerate(SipRequest retransmission, long state)
    {
        var user = retransmission.ParseTo()?.Uri.User is { } escaped ? Uri.UnescapeDataString(escaped) : null;
        var bindings = user is null ? [] : _store.GetBindings(user);
        return Ok(retransmission, bindings, new DateTimeOffset(state, TimeSpan.Zero));
    }

    /// <summary>The 200 listing <paramref name="bindings"/>, which a retransmission gets again through <see cref="IResponseRegenerator"/>.</summary>
    private SipResponse Ok(SipRequest request, IReadOnlyList<SipBinding> bindings, DateTimeOffset now)
    {
        var response = SipResponseFactory.CreateRepeatable(request, 200, "OK");
        for (var i = 0; i < bindings.Count; i++)
        {
            // One consistent view: a refresh may update the binding in place while this answer is built (decision 0090).
            var binding = bindings[i];
            var state = binding.Times;
            // Never more than the interval the binding was granted: a binding refreshed after the first answer, listed
            // in a retransmitted one, is counted from its refresh, not from that answer's earlier clock.
            var remaining = Math.Max(0, (long)Math.Ceiling(Math.Min((state.ExpiresAt - now).TotalSeconds, (state.ExpiresAt - state.UpdatedAt).TotalSeconds)));
            response.AddHeader(SipHeaderNames.Contact, ContactValue(binding, remaining));
        }

        response.AddHeader(SipHeaderNames.Date, SipDate.Format(now));
        response.Regenerator = this;
        response.RegenerationState = now.UtcTicks;
        return response;
    }

    /// <summary>The binding as listed in a 200 (RFC 3261 §10.3 step 8), with the parameters it was registered with
    /// (RFC 5626 §6: the instance and reg-id echoed tell an outbound client its flow is in use).</summary>
    private static string ContactValue(SipBinding binding, long remaining)
    {
        var value = string.Create(CultureInfo.InvariantCulture, $"<{binding.ContactUri}>;expires={remaining}");
        if (binding.Q != 1.0)
        {
            value += string.Create(CultureInfo.InvariantCulture, $";q={binding.Q:0.###}");
        }

        if (binding.InstanceId is { } instance)
        {
            value += $";+sip.instance=\"{instance}\"";
        }

        return binding.RegId is { } regId ? value + string.Create(CultureInfo.InvariantCulture, $";reg-id={regId}") : value;
    }

    private SipResponse Challenge(SipRequest request, IPAddress client, bool stale)
    {
        var response = SipResponseFactory.Create(request, 401, "Unauthorized");
        _authenticator.AddChallenges(response, client, stale);
        return response;
    }

    /// <summary>
    /// A banned (address, user) pair is refused; a banned address too, except for a user whose live authenticated
    /// binding came from that address: the phones that were working there keep working.
    /// </summary>
    private bool IsRefused(IPAddress client, string user)
    {
        if (!_bans.IsBanned(client, user))
        {
            return false;
        }

        if (_bans.IsUserBanned(client, user))
        {
            return true;
        }

        // GetBindings returns unexpired bindings only.
        var bindings = _store.GetBindings(user);
        for (var i = 0; i < bindings.Count; i++)
        {
            if (bindings[i].RemoteEndPoint.Address.Equals(client))
            {
                return false;
            }
        }

        return true;
    }

    private bool IsOurHost(string host, SipFlow flow) =>
        host.Equals(_options.Domain, StringComparison.OrdinalIgnoreCase)
        || host.Equals(_options.EffectiveRealm, StringComparison.OrdinalIgnoreCase)
        || (_options.PublicHost is { } publicHost && host.Equals(publicHost, StringComparison.OrdinalIgnoreCase))
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && LocalAddresses.IsOurs(address, flow.Local.Address));

    private sealed record RegistrationContext(
        RegistrationRequest Registration, string CallId, uint CSeq, string? UserAgent, SipFlow Flow, SipUserCredentials User);

    private readonly record struct ApplyResult(SipError? Error, IReadOnlyList<SipBinding>? Bindings, DateTimeOffset Now);
}
