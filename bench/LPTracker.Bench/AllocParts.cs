using System.Net;
using System.Text;
using LPTracker.Telephony.Sip.Auth;
using LPTracker.Telephony.Sip.Parsing;

namespace LPTracker.Bench;

internal static class AllocParts
{
    public static int Run()
    {
        var text = "REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:20001;branch=z9hG4bK-2-1-2;rport\r\n"
            + "From: <sip:user00001@127.0.0.1>;tag=2SIPpTag1\r\nTo: <sip:user00001@127.0.0.1>\r\nCall-ID: 2-1@127.0.0.1\r\nCSeq: 2 REGISTER\r\n"
            + "Contact: <sip:user00001@127.0.0.1:20001;transport=UDP>\r\nMax-Forwards: 70\r\nExpires: 3600\r\nUser-Agent: sipp\r\n"
            + "Authorization: Digest username=\"user00001\", realm=\"127.0.0.1\", nonce=\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\", uri=\"sip:127.0.0.1\", response=\"0123456789abcdef0123456789abcdef\", algorithm=MD5, cnonce=\"abcdef\", qop=auth, nc=00000001\r\n"
            + "Content-Length: 0\r\n\r\n";
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var round = 0; round < 3; round++)
        {
            long t = GC.GetAllocatedBytesForCurrentThread();
            long M(string what)
            {
                var now = GC.GetAllocatedBytesForCurrentThread();
                if (round == 2) Console.WriteLine($"{now - t,6} B  {what}");
                t = GC.GetAllocatedBytesForCurrentThread();
                return 0;
            }
            SipMessageParser.TryParse(bytes, false, out var m); M("parse");
            var r = (SipRequest)m!;
            _ = r.Vias; M("vias");
            r.TopVia!.StampReceived("127.0.0.1", 20001); M("stamp");
            SipRequestValidator.Validate(r, [], out _); M("validate (From, To, RURI, CSeq)");
            RegistrationParts(r); M("RegistrationRequest.TryRead");
            _ = DigestCredentials.TryParse(r.GetHeader(SipHeaderNames.Authorization)!, out var cred); _ = cred!.UserName; _ = cred.Nonce; M("digest credentials");
            var resp = SipResponseFactory.Create(r, 200, "OK"); M("response factory 200");
            resp.AddHeader(SipHeaderNames.Contact, "<sip:user00001@127.0.0.1:20001;transport=UDP>;expires=3600"); M("contact value (approx)");
            var buf = SipMessageWriter.ToRentedBytes(resp, out _, out _); M("writer");
            System.Buffers.ArrayPool<byte>.Shared.Return(buf);
            var r401 = SipResponseFactory.Create(r, 401, "Unauthorized"); M("response factory 401");
        }
        return 0;
    }

    private static void RegistrationParts(SipRequest r) => LPTracker.Telephony.Registrar.RegistrationRequest.TryRead(r, 3600, out _);
}
