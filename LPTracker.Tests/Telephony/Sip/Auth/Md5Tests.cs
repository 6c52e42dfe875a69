using System.Security.Cryptography;
using System.Text;
using LPTracker.Telephony.Sip.Auth;

namespace LPTracker.Tests.Telephony.Sip.Auth;

#pragma warning disable CA5351 // The system's MD5 is the reference the managed one is checked against.
public sealed class Md5Tests
{
    /// <summary>RFC 1321 appendix A.5, the test suite.</summary>
    [Theory]
    [InlineData("", "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("a", "0cc175b9c0f1b6a831c399e269772661")]
    [InlineData("abc", "900150983cd24fb0d6963f7d28e17f72")]
    [InlineData("message digest", "f96b697d7cb7938d525a2f31aaf161d0")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a")]
    public void Rfc1321_test_suite_hashes_match(string input, string expected)
    {
        Span<byte> hash = stackalloc byte[16];

        Md5.HashData(Encoding.ASCII.GetBytes(input), hash);

        Assert.Equal(expected, Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void Every_length_across_block_and_padding_boundaries_matches_the_system_md5()
    {
        var random = new Random(11);
        Span<byte> ours = stackalloc byte[16];
        for (var length = 0; length <= 300; length++)
        {
            var input = new byte[length];
            random.NextBytes(input);

            Md5.HashData(input, ours);

            Assert.Equal(Convert.ToHexStringLower(MD5.HashData(input)), Convert.ToHexStringLower(ours));
        }
    }
}
#pragma warning restore CA5351
