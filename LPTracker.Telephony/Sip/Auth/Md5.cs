using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace LPTracker.Telephony.Sip.Auth;

/// <summary>
/// MD5 (RFC 1321) in managed code, for the digest check's short inputs (one or two 64-byte blocks). OpenSSL 3's
/// one-shot MD5 fetches the algorithm and builds a context on every call, which costs more than hashing ~100 bytes;
/// this does the same work with no native call and no allocation (bench/README.md, decision 0077). MD5 is used only
/// because SIP digest requires it for deployed phones, never as a security primitive of our own.
/// </summary>
internal static class Md5
{
    /// <summary>Length of an MD5 hash in bytes.</summary>
    public const int HashSize = 16;

    private static ReadOnlySpan<uint> K =>
    [
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
    ];

    private static ReadOnlySpan<byte> S =>
    [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];

    /// <summary>Hashes <paramref name="input"/> into the first 16 bytes of <paramref name="destination"/>.</summary>
    public static int HashData(ReadOnlySpan<byte> input, Span<byte> destination)
    {
        uint a = 0x67452301, b = 0xefcdab89, c = 0x98badcfe, d = 0x10325476;
        var whole = input.Length & ~63;
        for (var offset = 0; offset < whole; offset += 64)
        {
            Block(input.Slice(offset, 64), ref a, ref b, ref c, ref d);
        }

        // The tail, the 0x80 marker, zeros and the bit length (little-endian) fill one or two final blocks.
        Span<byte> last = stackalloc byte[128];
        last.Clear();
        var tail = input[whole..];
        tail.CopyTo(last);
        last[tail.Length] = 0x80;
        var blocks = tail.Length < 56 ? 1 : 2;
        BinaryPrimitives.WriteUInt64LittleEndian(last[(blocks * 64 - 8)..], (ulong)input.Length * 8);
        for (var i = 0; i < blocks; i++)
        {
            Block(last.Slice(i * 64, 64), ref a, ref b, ref c, ref d);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, a);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], b);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], c);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], d);
        return HashSize;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block(ReadOnlySpan<byte> block, ref uint a0, ref uint b0, ref uint c0, ref uint d0)
    {
        Span<uint> m = stackalloc uint[16];
        for (var i = 0; i < 16; i++)
        {
            m[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[(i * 4)..]);
        }

        uint a = a0, b = b0, c = c0, d = d0;
        var k = K;
        var s = S;
        for (var i = 0; i < 64; i++)
        {
            uint f;
            int g;
            if (i < 16)
            {
                f = (b & c) | (~b & d);
                g = i;
            }
            else if (i < 32)
            {
                f = (d & b) | (~d & c);
                g = ((5 * i) + 1) & 15;
            }
            else if (i < 48)
            {
                f = b ^ c ^ d;
                g = ((3 * i) + 5) & 15;
            }
            else
            {
                f = c ^ (b | ~d);
                g = (7 * i) & 15;
            }

            var rotated = BitOperations.RotateLeft(a + f + k[i] + m[g], s[i]);
            a = d;
            d = c;
            c = b;
            b += rotated;
        }

        a0 += a;
        b0 += b;
        c0 += c;
        d0 += d;
    }
}
