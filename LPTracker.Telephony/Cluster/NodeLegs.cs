using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace LPTracker.Telephony.Cluster;

/// <summary>A node that holds a phone's flow, as another node sees it: its id and SIP address.</summary>
/// <param name="Id">The node's id.</param>
/// <param name="SipAddress">Where its SIP listener takes the legs of other nodes.</param>
public sealed record RemoteNode(string Id, IPEndPoint SipAddress);

/// <summary>What a node's INVITE to another node asks it to ring: one binding of one user, for one call.</summary>
/// <param name="UserName">The SIP user.</param>
/// <param name="ContactKey">The binding's contact key (<see cref="Registrar.SipBinding.ContactKey"/>).</param>
/// <param name="CallId">The Call-ID of the INVITE that carries it (a token is good for that INVITE only).</param>
public sealed record NodeLeg(string UserName, string ContactKey, string CallId);

/// <summary>
/// Signs and checks the legs one node sends another (header <see cref="HeaderName"/>). A phone or carrier cannot make
/// one: the token is sealed with the cluster's shared Data Protection key ring, names the Call-ID, carries a random
/// nonce and expires after <see cref="Lifetime"/>. An INVITE with a token that does not verify is refused, never rung;
/// so is a token this node has taken before (<see cref="Redeem"/>): a captured INVITE sent again rings nothing.
/// </summary>
/// <remarks>
/// Remembering the nonces on the receiving node is enough: a leg names one binding, which one node holds, and only
/// that node rings it. A retransmission of the INVITE never gets here twice (its server transaction absorbs it).
/// </remarks>
public sealed class NodeLegSigner(IDataProtectionProvider protection, TimeProvider time)
{
    /// <summary>The header that carries the token.</summary>
    public const string HeaderName = "X-LPT-Node-Leg";

    /// <summary>How long a token is good for (an INVITE and its retransmissions).</summary>
    public static TimeSpan Lifetime { get; } = TimeSpan.FromSeconds(60);

    private readonly IDataProtector _protector = protection.CreateProtector("LPTracker.NodeLeg.v1");
    private readonly ConcurrentDictionary<string, long> _taken = new(StringComparer.Ordinal);
    private long _nextSweep;

    /// <summary>The token for <paramref name="leg"/>; a new nonce each time, so each token rings once.</summary>
    public string Sign(NodeLeg leg)
    {
        var expires = (time.GetUtcNow() + Lifetime).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        return _protector.Protect(string.Join('\n', expires, leg.UserName, leg.ContactKey, leg.CallId, nonce));
    }

    /// <summary>
    /// The leg a token names for the INVITE <paramref name="callId"/>, taking the token: null when it is forged,
    /// damaged, expired, names another Call-ID or was taken before (here, within its lifetime). The token is taken
    /// only when everything else holds, so a copy sent with another Call-ID cannot spend it first. A token from a node
    /// that signs without a nonce (an older version) is refused.
    /// </summary>
    public NodeLeg? Redeem(string token, string? callId)
    {
        string text;
        try
        {
            text = _protector.Unprotect(token.Trim());
        }
        catch (CryptographicException)
        {
            return null;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var parts = text.Split('\n');
        if (parts.Length != 5 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var expires) || expires <= now
            || !string.Equals(parts[3], callId, StringComparison.Ordinal))
        {
            return null;
        }

        Sweep(now);
        return _taken.TryAdd(parts[4], expires) ? new NodeLeg(parts[1], parts[2], parts[3]) : null;
    }

    /// <summary>Forgets the nonces of expired tokens (those are refused as expired anyway), at most every few seconds.</summary>
    private void Sweep(long now)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + 5_000, due) != due)
        {
            return;
        }

        foreach (var (nonce, expires) in _taken)
        {
            if (expires <= now)
            {
                _taken.TryRemove(nonce, out _);
            }
        }
    }
}
