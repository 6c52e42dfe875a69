using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using LPTracker.Core.Telephony;

namespace LPTracker.Telephony.Sip.Auth;

/// <summary>The digest computations of RFC 7616 §3.4.1 for <c>qop=auth</c>, written to avoid heap allocations.</summary>
public static class DigestHash
{
    /// <summary>Length of the lower-case hex digest for an algorithm.</summary>
    public static int HexLength(DigestAlgorithm algorithm) => algorithm == DigestAlgorithm.Sha256 ? 64 : 32;

    /// <summary>HA1 = H(username ":" realm ":" password), lower-case hex, by algorithm. The computation itself is
    /// Core's <see cref="SipDigest"/>, the one the console stores credentials with.</summary>
    public static string ComputeHa1(DigestAlgorithm algorithm, string userName, string realm, string password) =>
        algorithm == DigestAlgorithm.Sha256
            ? SipDigest.Ha1Sha256(userName, realm, password)
            : SipDigest.Ha1Md5(userName, realm, password);

    /// <summary>
    /// Computes the expected <c>response</c> for qop=auth and compares it with the client's in constant time.
    /// </summary>
    public static bool VerifyResponse(
        DigestAlgorithm algorithm, ReadOnlySpan<char> ha1Hex, string method, ReadOnlySpan<char> uri, ReadOnlySpan<char> nonce, ReadOnlySpan<char> nc,
        ReadOnlySpan<char> cnonce, ReadOnlySpan<char> qop, ReadOnlySpan<char> clientResponse)
    {
        var hexLength = HexLength(algorithm);
        var inputLength = Encoding.UTF8.GetMaxByteCount(method.Length + uri.Length + 1 + ha1Hex.Length + nonce.Length
            + nc.Length + cnonce.Length + qop.Length + 5 + hexLength);
        var rented = ArrayPool<byte>.Shared.Rent(inputLength);
        try
        {
            Span<byte> ha2 = stackalloc byte[64];
            var pos = Write(rented, 0, method);
            rented[pos++] = (byte)':';
            pos = Write(rented, pos, uri);
            HashHex(algorithm, rented.AsSpan(0, pos), ha2);

            pos = Write(rented, 0, ha1Hex);
            pos = Colon(rented, pos, nonce);
            pos = Colon(rented, pos, nc);
            pos = Colon(rented, pos, cnonce);
            pos = Colon(rented, pos, qop);
            rented[pos++] = (byte)':';
            ha2[..hexLength].CopyTo(rented.AsSpan(pos));
            pos += hexLength;

            Span<byte> expected = stackalloc byte[64];
            HashHex(algorithm, rented.AsSpan(0, pos), expected);

            Span<byte> given = stackalloc byte[64];
            if (clientResponse.Length != hexLength)
            {
                return false;
            }

            for (var i = 0; i < hexLength; i++)
            {
                // Hex digits compare case-insensitively; anything non-ASCII simply fails the comparison.
                var c = clientResponse[i];
                given[i] = (byte)(c is >= 'A' and <= 'F' ? c + 32 : c > 127 ? 0 : c);
            }

            return CryptographicOperations.FixedTimeEquals(expected[..hexLength], given[..hexLength]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int Colon(byte[] buffer, int pos, ReadOnlySpan<char> value)
    {
        buffer[pos++] = (byte)':';
        return Write(buffer, pos, value);
    }

    private static int Write(byte[] buffer, int pos, ReadOnlySpan<char> value) =>
        pos + Encoding.UTF8.GetBytes(value, buffer.AsSpan(pos));

    /// <summary>Hashes <paramref name="input"/> and writes lower-case hex ASCII; returns the hex length.</summary>
    internal static int HashHex(DigestAlgorithm algorithm, ReadOnlySpan<byte> input, Span<byte> hexOut)
    {
        Span<byte> hash = stackalloc byte[32];
        int size;
        if (algorithm == DigestAlgorithm.Sha256)
        {
            size = SHA256.HashData(input, hash);
        }
        else
        {
            // MD5 is mandated by SIP digest (RFC 3261/7616) for deployed phones; managed, since OpenSSL's one-shot call
            // costs more than hashing these few bytes (decision 0077).
            size = Md5.HashData(input, hash);
        }

        Convert.TryToHexStringLower(hash[..size], hexOut, out var written);
        return written;
    }
}
