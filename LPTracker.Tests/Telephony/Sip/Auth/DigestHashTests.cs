using LPTracker.Telephony.Sip.Auth;

namespace LPTracker.Tests.Telephony.Sip.Auth;

/// <summary>RFC 7616 §3.9.1 example: Mufasa / "Circle of Life" / http-auth@example.org.</summary>
public sealed class DigestHashTests
{
    private const string Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private const string CNonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    [Theory]
    [InlineData(DigestAlgorithm.Md5, "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData(DigestAlgorithm.Sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void Rfc7616_example_response_verifies(DigestAlgorithm algorithm, string expectedResponse)
    {
        var ha1 = DigestHash.ComputeHa1(algorithm, "Mufasa", "http-auth@example.org", "Circle of Life");

        var ok = DigestHash.VerifyResponse(algorithm, ha1, "GET", "/dir/index.html", Nonce, "00000001", CNonce, "auth", expectedResponse);

        Assert.True(ok);
    }

    [Fact]
    public void Upper_case_hex_in_the_response_is_accepted()
    {
        var ha1 = DigestHash.ComputeHa1(DigestAlgorithm.Md5, "Mufasa", "http-auth@example.org", "Circle of Life");

        var ok = DigestHash.VerifyResponse(DigestAlgorithm.Md5, ha1, "GET", "/dir/index.html", Nonce, "00000001", CNonce, "auth",
            "8CA523F5E9506FED4657C9700EEBDBEC");

        Assert.True(ok);
    }

    [Theory]
    [InlineData("Circle Of Life", "GET", "00000001")]
    [InlineData("Circle of Life", "POST", "00000001")]
    [InlineData("Circle of Life", "GET", "00000002")]
    public void Any_changed_input_fails_verification(string password, string method, string nc)
    {
        var ha1 = DigestHash.ComputeHa1(DigestAlgorithm.Md5, "Mufasa", "http-auth@example.org", password);

        var ok = DigestHash.VerifyResponse(DigestAlgorithm.Md5, ha1, method, "/dir/index.html", Nonce, nc, CNonce, "auth",
            "8ca523f5e9506fed4657c9700eebdbec");

        Assert.False(ok);
    }

    [Theory]
    [InlineData("")]
    [InlineData("8ca523f5")]
    [InlineData("8ca523f5e9506fed4657c9700eebdbecXX")]
    public void Responses_of_the_wrong_length_fail(string response)
    {
        var ha1 = DigestHash.ComputeHa1(DigestAlgorithm.Md5, "Mufasa", "http-auth@example.org", "Circle of Life");

        var ok = DigestHash.VerifyResponse(DigestAlgorithm.Md5, ha1, "GET", "/dir/index.html", Nonce, "00000001", CNonce, "auth", response);

        Assert.False(ok);
    }

    [Theory]
    [InlineData("MD5", new[] { DigestAlgorithm.Md5 })]
    [InlineData("SHA-256,MD5", new[] { DigestAlgorithm.Sha256, DigestAlgorithm.Md5 })]
    [InlineData(" sha-256 ", new[] { DigestAlgorithm.Sha256 })]
    public void Algorithm_setting_keeps_its_order(string setting, DigestAlgorithm[] expected)
    {
        var list = DigestAlgorithmNames.ParseList(setting);

        Assert.Equal(expected, list);
    }

    [Fact]
    public void Unknown_algorithm_in_the_setting_is_a_configuration_error()
    {
        Assert.Throws<FormatException>(() => DigestAlgorithmNames.ParseList("SHA-1"));
    }
}
