using System.Globalization;
using System.Net;
using LPTracker.Telephony.Sip.Parsing;

namespace LPTracker.Telephony.Sip.Auth;

/// <summary>What digest verification concluded about a request.</summary>
public enum AuthOutcome
{
    /// <summary>Valid credentials for a known user.</summary>
    Authenticated,

    /// <summary>No usable credentials (none, other scheme, other realm, algorithm not offered): challenge.</summary>
    Challenge,

    /// <summary>The digest was right but the nonce is expired, unknown or replayed: challenge with stale=true.</summary>
    Stale,

    /// <summary>Wrong password or unknown user (indistinguishable on the wire): challenge and count a failure.</summary>
    Failed,

    /// <summary>Credentials are syntactically unusable (missing fields, uri mismatch): 400.</summary>
    Malformed,
}

/// <summary>The result of <see cref="DigestAuthenticator.AuthenticateAsync"/>.</summary>
/// <param name="Outcome">The conclusion.</param>
/// <param name="User">The authenticated user when <see cref="AuthOutcome.Authenticated"/>.</param>
/// <param name="Reason">A reason phrase for Malformed.</param>
public readonly record struct AuthResult(AuthOutcome Outcome, SipUserCredentials? User = null, string? Reason = null);

/// <summary>
/// Digest authentication of requests (RFC 7616 with SIP's use in RFC 3261 §22 and RFC 8760), qop=auth only.
/// </summary>
public sealed class DigestAuthenticator
{
    private readonly string _realm;
    private readonly IReadOnlyList<DigestAlgorithm> _algorithms;
    private readonly NonceService _nonces;
    private readonly NonceCountTracker _counts;
    private readonly ISipUserDirectory _directory;

    /// <summary>Creates the authenticator for one realm and the offered algorithms, in preference order.</summary>
    public DigestAuthenticator(
        string realm, IReadOnlyList<DigestAlgorithm> algorithms, NonceService nonces, NonceCountTracker counts,
        ISipUserDirectory directory)
    {
        _realm = realm;
        _algorithms = algorithms;
        _nonces = nonces;
        _counts = counts;
        _directory = directory;
    }

    /// <summary>The realm challenges are issued for.</summary>
    public string Realm => _realm;

    /// <summary>Adds one WWW-Authenticate challenge per offered algorithm, most preferred first (RFC 8760 §2.4);
    /// <paramref name="proxy"/> makes them Proxy-Authenticate (the 407 a call from a phone gets).</summary>
    public void AddChallenges(SipResponse response, IPAddress client, bool stale, bool proxy = false)
    {
        Span<char> nonce = stackalloc char[NonceService.Length];
        _nonces.Create(client, nonce);
        // An index loop: foreach over the interface would box an enumerator on every challenge.
        for (var i = 0; i < _algorithms.Count; i++)
        {
            var algorithm = _algorithms[i];
            var value = string.Create(CultureInfo.InvariantCulture,
                $"Digest realm=\"{_realm}\", nonce=\"{nonce}\", algorithm={algorithm.ToToken()}, qop=\"auth\"{(stale ? ", stale=true" : "")}");
            response.AddHeader(proxy ? SipHeaderNames.ProxyAuthenticate : SipHeaderNames.WwwAuthenticate, value);
        }
    }

    /// <summary>Verifies the request's Authorization (or, with <paramref name="proxy"/>, Proxy-Authorization) header
    /// for our realm.</summary>
    public async ValueTask<AuthResult> AuthenticateAsync(SipRequest request, IPAddress client, CancellationToken cancellationToken,
        bool proxy = false)
    {
        var credentials = SelectCredentials(request, proxy ? SipHeaderNames.ProxyAuthorization : SipHeaderNames.Authorization, out var algorithm);
        if (credentials is null)
        {
            return new AuthResult(AuthOutcome.Challenge);
        }

        // Only the user name becomes a string; the rest is compared and hashed where it lies in the header.
        if (credentials.UserName is not { Length: > 0 } userName || !credentials.HasNonce || !credentials.HasUri
            || !credentials.HasResponse)
        {
            return new AuthResult(AuthOutcome.Malformed, Reason: "Incomplete Credentials");
        }

        if (!credentials.QopSpan.Equals("auth", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 2069-style credentials (no qop) or a qop we never offered: challenge again with what we do offer,
            // rather than refuse the request outright.
            return new AuthResult(AuthOutcome.Challenge);
        }

        if (!credentials.HasCNonce
            || credentials.NonceCountSpan.Length != 8
            || !uint.TryParse(credentials.NonceCountSpan, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var nc))
        {
            return new AuthResult(AuthOutcome.Malformed, Reason: "qop=auth Required");
        }

        // The digest-uri must be the Request-URI (RFC 7616 §3.4.6), else the response could be replayed elsewhere.
        if (!credentials.UriSpan.Equals(request.RequestUri, StringComparison.Ordinal))
        {
            return new AuthResult(AuthOutcome.Malformed, Reason: "Digest URI Mismatch");
        }

        var user = await _directory.FindAsync(userName, cancellationToken).ConfigureAwait(false);
        // Unknown users are checked against a dummy HA1 so the work and the answer match a wrong password.
        var ha1 = user?.Ha1For(algorithm) ?? _nonces.DummyHa1(algorithm);
        var ok = DigestHash.VerifyResponse(algorithm, ha1, request.Method, credentials.UriSpan, credentials.NonceSpan, credentials.NonceCountSpan,
            credentials.CNonceSpan, credentials.QopSpan, credentials.ResponseSpan);
        if (!ok || user is null || user.Ha1For(algorithm) is null)
        {
            return new AuthResult(AuthOutcome.Failed);
        }

        var status = _nonces.Validate(credentials.NonceSpan, client, out var sequence);
        if (status != NonceStatus.Valid || !_counts.TryAccept(sequence, nc))
        {
            return new AuthResult(AuthOutcome.Stale);
        }

        return new AuthResult(AuthOutcome.Authenticated, user);
    }

    private DigestCredentials? SelectCredentials(SipRequest request, string headerName, out DigestAlgorithm algorithm)
    {
        algorithm = DigestAlgorithm.Md5;
        foreach (var header in request.Headers)
        {
            if (!SipHeaderNames.Same(header.Name, headerName)
                || !DigestCredentials.TryParse(header.Value, out var credentials)
                || !credentials!.HasRealm || !credentials.RealmSpan.Equals(_realm, StringComparison.Ordinal))
            {
                continue;
            }

            // An absent algorithm means MD5 (RFC 7616 §3.3); only offered algorithms are accepted.
            if (!DigestAlgorithmNames.TryParse(credentials.HasAlgorithm ? credentials.AlgorithmSpan : "MD5", out var a) || !_algorithms.Contains(a))
            {
                continue;
            }

            algorithm = a;
            return credentials;
        }

        return null;
    }
}
