using System.Globalization;
using System.Net;
using LPTracker.Telephony.Sip.Auth;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Registrar;

/// <summary>
/// The REGISTER handler (RFC 3261 §10.3): authenticate, check AOR ownership, validate contacts and expiries,
/// enforce Call-ID/CSeq ordering and the per-AOR limit, apply atomically and answer with all current bindings.
/// </summary>
public sealed class SipRegistrar
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

    /// <summary>Processes a validated REGISTER and returns the response to send.</summary>
    public async ValueTask<SipResponse> HandleAsync(SipRequest request, SipFlow flow, CancellationToken cancellationToken)
    {
        var to = request.ParseTo()!;
        if (!to.Uri.IsSip)
        {
            // An AOR must be a SIP or SIPS URI (RFC 4475 §3.3.4).
            return SipResponseFactory.Create(request, 400, "AOR Must Be a SIP URI");
        }

        if (to.Uri.User is null || !IsOurDomain(to.Uri.Host))
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
        var auth = await _authenticator.AuthenticateAsync(request, client, cancellationToken).ConfigureAwait(false);
        switch (auth.Outcome)
        {
            case AuthOutcome.Malformed:
                return SipResponseFactory.Create(request, 400, auth.Reason ?? "Bad Credentials");
            case AuthOutcome.Failed:
                // Log the attempt, never the credentials themselves.
                _logger.LogInformation("SIP authentication failed for AOR user {User} from {Remote}", to.Uri.User, flow.Remote);
                _bans.RecordFailure(client);
                return Challenge(request, client, stale: false);
            case AuthOutcome.Challenge:
            case AuthOutcome.Stale:
                return Challenge(request, client, auth.Outcome == AuthOutcome.Stale);
        }

        _bans.RecordSuccess(client);
        var user = auth.User!;
        var aorUser = Uri.UnescapeDataString(to.Uri.User);
        if (!string.Equals(user.UserName, aorUser, StringComparison.Ordinal))
        {
            return SipResponseFactory.Create(request, 403, "Forbidden");
        }

        if (registration!.Contacts.Any(c => c.Expires != 0 && c.Expires < _options.MinExpires))
        {
            var tooBrief = SipResponseFactory.Create(request, 423, "Interval Too Brief");
            tooBrief.AddHeader(SipHeaderNames.MinExpires, _options.MinExpires.ToString(CultureInfo.InvariantCulture));
            return tooBrief;
        }

        var cseq = request.ParseCSeq()!.Value.Number;
        var context = new RegistrationContext(registration, request.CallId!, cseq, request.GetHeader(SipHeaderNames.UserAgent), flow, user);
        var outcome = await _store.UpdateAsync(user.UserName, (current, now) => Apply(context, current, now), cancellationToken)
            .ConfigureAwait(false);
        if (outcome.Error is { } rejected)
        {
            return SipResponseFactory.Create(request, rejected.Status, rejected.Reason);
        }

        return Ok(request, outcome.Bindings!, outcome.Now);
    }

    private BindingUpdate<ApplyResult> Apply(RegistrationContext ctx, IReadOnlyList<SipBinding> current, DateTimeOffset now)
    {
        if (!ctx.Registration.IsWildcard && ctx.Registration.Contacts.Count == 0)
        {
            // A query: no change, just list the bindings (RFC 3261 §10.2.3).
            return new BindingUpdate<ApplyResult>(null, new ApplyResult(null, current, now));
        }

        var next = current.ToList();
        if (ctx.Registration.IsWildcard)
        {
            if (current.Any(b => b.CallId == ctx.CallId && ctx.CSeq <= b.CSeq))
            {
                return Reject(new SipError(500, "Out of Order CSeq"), now);
            }

            return new BindingUpdate<ApplyResult>([], new ApplyResult(null, [], now));
        }

        foreach (var contact in ctx.Registration.Contacts)
        {
            var key = ContactKeys.For(contact.Uri);
            var index = next.FindIndex(b => b.ContactKey == key);
            var existing = index >= 0 ? next[index] : null;
            // Same Call-ID with a CSeq not higher than the stored one is an old or reordered request (step 7).
            if (existing is not null && existing.CallId == ctx.CallId && ctx.CSeq <= existing.CSeq)
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

            var seconds = Math.Min(contact.Expires, _options.MaxExpires);
            var binding = new SipBinding
            {
                UserName = ctx.User.UserName,
                ContactUri = contact.Uri,
                CallId = ctx.CallId,
                CSeq = ctx.CSeq,
                RegisteredAt = existing?.RegisteredAt ?? now,
                UpdatedAt = now,
                ExpiresAt = now.AddSeconds(seconds),
                UserAgent = ctx.UserAgent,
                Transport = ctx.Flow.Transport,
                RemoteEndPoint = ctx.Flow.Remote,
                LocalEndPoint = ctx.Flow.Local,
                ConnectionId = ctx.Flow.ConnectionId,
                EmployeeId = ctx.User.EmployeeId,
                AccountId = ctx.User.AccountId,
            };
            if (index >= 0)
            {
                next[index] = binding;
            }
            else
            {
                next.Add(binding);
            }
        }

        if (next.Count > _options.MaxContactsPerAor && next.Count > current.Count)
        {
            return Reject(new SipError(403, "Too Many Contacts"), now);
        }

        return new BindingUpdate<ApplyResult>(next, new ApplyResult(null, next, now));
    }

    private static BindingUpdate<ApplyResult> Reject(SipError error, DateTimeOffset now) => new(null, new ApplyResult(error, null, now));

    private SipResponse Ok(SipRequest request, IReadOnlyList<SipBinding> bindings, DateTimeOffset now)
    {
        var response = SipResponseFactory.Create(request, 200, "OK");
        foreach (var binding in bindings)
        {
            var remaining = Math.Max(0, (long)Math.Ceiling((binding.ExpiresAt - now).TotalSeconds));
            response.AddHeader(SipHeaderNames.Contact, string.Create(CultureInfo.InvariantCulture, $"<{binding.ContactUri}>;expires={remaining}"));
        }

        response.AddHeader(SipHeaderNames.Date, now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture));
        return response;
    }

    private SipResponse Challenge(SipRequest request, IPAddress client, bool stale)
    {
        var response = SipResponseFactory.Create(request, 401, "Unauthorized");
        _authenticator.AddChallenges(response, client, stale);
        return response;
    }

    private bool IsOurDomain(string host) =>
        host.Equals(_options.Domain, StringComparison.OrdinalIgnoreCase)
        || host.Equals(_options.EffectiveRealm, StringComparison.OrdinalIgnoreCase)
        || (_options.PublicHost is { } publicHost && host.Equals(publicHost, StringComparison.OrdinalIgnoreCase))
        || IPAddress.TryParse(host.Trim('[', ']'), out _);

    private sealed record RegistrationContext(
        RegistrationRequest Registration, string CallId, uint CSeq, string? UserAgent, SipFlow Flow, SipUserCredentials User);

    private readonly record struct ApplyResult(SipError? Error, IReadOnlyList<SipBinding>? Bindings, DateTimeOffset Now);
}
