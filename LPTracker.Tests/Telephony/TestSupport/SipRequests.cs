using System.Text;

namespace LPTracker.Tests.Telephony.TestSupport;

/// <summary>Builds request text for tests.</summary>
internal static class SipRequests
{
    public static string Register(string user, string domain = "example.com", string? contact = null, uint cseq = 1,
        string? callId = null, string? branch = null, string? expires = null, string? authorization = null,
        string transport = "UDP", string viaSentBy = "192.0.2.10:5060", string? extraHeaders = null, string? toUser = null)
    {
        var sb = new StringBuilder();
        sb.Append("REGISTER sip:").Append(domain).Append(" SIP/2.0\r\n");
        sb.Append("Via: SIP/2.0/").Append(transport).Append(' ').Append(viaSentBy)
            .Append(";branch=").Append(branch ?? "z9hG4bK" + Guid.NewGuid().ToString("N")).Append(";rport\r\n");
        sb.Append("Max-Forwards: 70\r\n");
        sb.Append("From: <sip:").Append(user).Append('@').Append(domain).Append(">;tag=f1\r\n");
        sb.Append("To: <sip:").Append(toUser ?? user).Append('@').Append(domain).Append(">\r\n");
        sb.Append("Call-ID: ").Append(callId ?? "reg-" + user).Append("\r\n");
        sb.Append("CSeq: ").Append(cseq).Append(" REGISTER\r\n");
        if (!string.IsNullOrEmpty(contact))
        {
            sb.Append("Contact: ").Append(contact).Append("\r\n");
        }

        if (expires is not null)
        {
            sb.Append("Expires: ").Append(expires).Append("\r\n");
        }

        if (authorization is not null)
        {
            sb.Append("Authorization: ").Append(authorization).Append("\r\n");
        }

        sb.Append("User-Agent: TestPhone/1.0\r\n");
        sb.Append(extraHeaders);
        sb.Append("Content-Length: 0\r\n\r\n");
        return sb.ToString();
    }

    public static string Simple(string method, string requestUri = "sip:example.com", string? branch = null, string cseqMethod = "",
        string viaSentBy = "192.0.2.10:5060", string transport = "UDP")
    {
        return $"{method} {requestUri} SIP/2.0\r\n" +
               $"Via: SIP/2.0/{transport} {viaSentBy};branch={branch ?? "z9hG4bK" + Guid.NewGuid().ToString("N")};rport\r\n" +
               "Max-Forwards: 70\r\nFrom: <sip:probe@example.com>;tag=p1\r\nTo: <sip:example.com>\r\n" +
               $"Call-ID: {Guid.NewGuid():N}\r\nCSeq: 1 {(cseqMethod.Length > 0 ? cseqMethod : method)}\r\nContent-Length: 0\r\n\r\n";
    }
}
