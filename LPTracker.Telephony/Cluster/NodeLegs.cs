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
/// one: the token is sealed with the cluster's shared Data Protection key ring, names the Call-ID and expires after
/// <see cref="Lifetime"/>. An INVITE with a token that does not verify is refused, never rung.
/// </summary>
public sealed class NodeLegSigner(IDataProtectionProvider protection, TimeProvider time)
{
    /// <summary>The header that carries the token.</summary>
    public const string HeaderName = "X-LPT-Node-Leg";

    /// <summary>How long a token is good for (an INVITE and its retransmissions).</summary>
    public static TimeSpan Lifetime { get; } = TimeSpan.FromSeconds(60);

    private readonly IDataProtector _protector = protection.CreateProtector("LPTracker.NodeLeg.v1");

    /// <summary>The token for <paramref name="leg"/>.</summary>
    public string Sign(NodeLeg leg)
    {
        var expires = (time.GetUtcNow() + Lifetime).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return _protector.Protect(string.Join('\n', expires, leg.UserName, leg.ContactKey, leg.CallId));
    }

    /// <summary>The leg a token names, or null when it is forged, damaged or expired.</summary>
    public NodeLeg? Verify(string token)
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

        var parts = text.Split('\n');
        return parts.Length == 4 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            && expires > time.GetUtcNow().ToUnixTimeMilliseconds()
            ? new NodeLeg(parts[1], parts[2], parts[3])
            : null;
    }
}
