using System.Security.Cryptography;
using System.Text;

namespace LPTracker.Core.Telephony;

/// <summary>
/// HA1 hashes as RFC 7616 defines them: H(username ":" realm ":" password), lower-case hex. The one place they are
/// computed: the console stores them, the registrar's test directory and tools call the same methods.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351", Justification = "RFC 7616 MD5 digest is what deployed SIP phones speak; SHA-256 is offered too.")]
public static class SipDigest
{
    /// <summary>HA1 with MD5 (RFC 3261 / RFC 7616 <c>MD5</c>).</summary>
    public static string Ha1Md5(string userName, string realm, string password) =>
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes($"{userName}:{realm}:{password}")));

    /// <summary>HA1 with SHA-256 (RFC 8760 <c>SHA-256</c>).</summary>
    public static string Ha1Sha256(string userName, string realm, string password) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{userName}:{realm}:{password}")));
}
