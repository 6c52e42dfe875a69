using System.Text;
using BenchmarkDotNet.Attributes;
using LPTracker.Telephony.Sip.Auth;
using LPTracker.Telephony.Sip.Parsing;

namespace LPTracker.Bench;

/// <summary>Hot-path micro benchmarks: parsing a REGISTER, verifying a digest response.</summary>
[MemoryDiagnoser]
public class SipBenchmarks
{
    private const string Nonce = "AAABoiBPAbcNYaMU0fPPNScd3WbrEOgWidBiYQ2LiXg";
    private readonly byte[] _register = Encoding.UTF8.GetBytes(
        "REGISTER sip:127.0.0.1:5060 SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-27414-1-2;rport\r\n" +
        "From: <sip:user00001@127.0.0.1>;tag=27414SIPpTag1\r\n" +
        "To: <sip:user00001@127.0.0.1>\r\n" +
        "Call-ID: 1-27414@127.0.0.1\r\n" +
        "CSeq: 2 REGISTER\r\n" +
        "Contact: <sip:user00001@127.0.0.1:5061;transport=UDP>\r\n" +
        "Max-Forwards: 70\r\n" +
        "Expires: 3600\r\n" +
        "Authorization: Digest username=\"user00001\",realm=\"127.0.0.1\",cnonce=\"6b8b4567\",nc=00000001,qop=auth,uri=\"sip:127.0.0.1:5060\",nonce=\"" + Nonce + "\",response=\"c43ee44d85f33d3c82787a0f915351cc\",algorithm=MD5\r\n" +
        "User-Agent: sipp\r\n" +
        "Content-Length: 0\r\n\r\n");

    private readonly string _ha1Md5 = DigestHash.ComputeHa1(DigestAlgorithm.Md5, "user00001", "127.0.0.1", "pw1");
    private readonly string _ha1Sha256 = DigestHash.ComputeHa1(DigestAlgorithm.Sha256, "user00001", "127.0.0.1", "pw1");

    [Benchmark]
    public SipMessage? ParseRegister()
    {
        SipMessageParser.TryParse(_register, false, out var message);
        return message;
    }

    [Benchmark]
    public object? ParseRegisterAndHeaders()
    {
        SipMessageParser.TryParse(_register, false, out var message);
        var request = (SipRequest)message!;
        _ = request.TopVia;
        _ = request.ParseTo();
        _ = request.ParseCSeq();
        return DigestCredentials.TryParse(request.GetHeader(SipHeaderNames.Authorization)!, out var credentials) ? credentials : null;
    }

    [Benchmark]
    public bool VerifyDigestMd5() => DigestHash.VerifyResponse(DigestAlgorithm.Md5, _ha1Md5, "REGISTER", "sip:127.0.0.1:5060", Nonce,
        "00000001", "6b8b4567", "auth", "c43ee44d85f33d3c82787a0f915351cc");

    [Benchmark]
    public bool VerifyDigestSha256() => DigestHash.VerifyResponse(DigestAlgorithm.Sha256, _ha1Sha256, "REGISTER", "sip:127.0.0.1:5060", Nonce,
        "00000001", "6b8b4567", "auth", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}
