using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Tests.Telephony.TestSupport;

namespace LPTracker.Tests.Telephony.Sip.Transactions;

/// <summary>
/// A retransmitted REGISTER that the registrar answered with 200, over real loopback UDP sockets: the 200 is built
/// again from the retransmission and the AOR's current bindings, never by running the registrar again (decision 0075).
/// </summary>
public sealed class RegisterRetransmissionOverUdpTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_retransmitted_register_that_succeeded_gets_the_identical_200_and_is_not_applied_again()
    {
        await using var server = await LoopbackServer.StartAsync();
        server.AddUser("alice");
        using var phone = new UdpTestClient(server.Udp);
        var request = await AnswerChallengeAsync(phone, "alice", "<sip:alice@127.0.0.1:5072>", "phone-a", "z9hG4bKsucceeded");

        await phone.SendAsync(request);
        var first = await phone.ReceiveBytesAsync(Timeout);
        var applied = server.Server.Locations.GetBindings("alice").Single();
        // The Date header has whole seconds: a response built anew a second later would differ from the first.
        await Task.Delay(TimeSpan.FromMilliseconds(1100));
        await phone.SendAsync(request);
        var again = await phone.ReceiveBytesAsync(Timeout);

        Assert.NotNull(first);
        Assert.Equal(200, Parse(first).StatusCode);
        Assert.Equal(first, again);
        var binding = server.Server.Locations.GetBindings("alice").Single();
        Assert.Equal(applied.UpdatedAt, binding.UpdatedAt);
        Assert.Equal(applied.ExpiresAt, binding.ExpiresAt);
    }

    [Fact]
    public async Task A_retransmitted_register_lists_the_bindings_current_when_it_arrives_and_changes_none()
    {
        await using var server = await LoopbackServer.StartAsync();
        server.AddUser("alice");
        using var deskPhone = new UdpTestClient(server.Udp);
        using var softPhone = new UdpTestClient(server.Udp);
        var request = await AnswerChallengeAsync(deskPhone, "alice", "<sip:alice@127.0.0.1:5072>", "desk", "z9hG4bKdesk");
        await deskPhone.SendAsync(request);
        var first = Parse(await deskPhone.ReceiveBytesAsync(Timeout));
        Assert.Equal(200, (await softPhone.RegisterAsync("alice", "secret", "127.0.0.1")).StatusCode);
        var before = server.Server.Locations.GetBindings("alice").OrderBy(b => b.ContactUri, StringComparer.Ordinal).ToList();

        await deskPhone.SendAsync(request);
        var again = Parse(await deskPhone.ReceiveBytesAsync(Timeout));

        Assert.Single(first.GetHeaderValues(SipHeaderNames.Contact));
        Assert.Equal(200, again.StatusCode);
        Assert.Equal(2, again.GetHeaderValues(SipHeaderNames.Contact).Count);
        Assert.Equal(first.ParseTo()!.Tag, again.ParseTo()!.Tag);
        Assert.Equal(first.GetHeader(SipHeaderNames.CSeq), again.GetHeader(SipHeaderNames.CSeq));
        var after = server.Server.Locations.GetBindings("alice").OrderBy(b => b.ContactUri, StringComparer.Ordinal).ToList();
        Assert.Equal(before.Select(b => (b.ContactUri, b.UpdatedAt, b.CSeq)), after.Select(b => (b.ContactUri, b.UpdatedAt, b.CSeq)));
    }

    [Fact]
    public async Task A_retransmitted_register_whose_bindings_expired_meanwhile_lists_none()
    {
        await using var server = await LoopbackServer.StartAsync(o => o.MinExpires = 1);
        server.AddUser("alice");
        using var phone = new UdpTestClient(server.Udp);
        var request = await AnswerChallengeAsync(phone, "alice", "<sip:alice@127.0.0.1:5072>", "brief", "z9hG4bKbrief", expires: "1");
        await phone.SendAsync(request);
        var first = Parse(await phone.ReceiveBytesAsync(Timeout));

        await Task.Delay(TimeSpan.FromMilliseconds(2100));
        await phone.SendAsync(request);
        var again = Parse(await phone.ReceiveBytesAsync(Timeout));

        Assert.Single(first.GetHeaderValues(SipHeaderNames.Contact));
        Assert.Equal(200, again.StatusCode);
        Assert.Empty(again.GetHeaderValues(SipHeaderNames.Contact));
        Assert.Empty(server.Server.Locations.GetBindings("alice"));
    }

    /// <summary>Sends the first REGISTER, reads its 401 and returns the REGISTER answering it, not yet sent.</summary>
    private static async Task<string> AnswerChallengeAsync(UdpTestClient phone, string user, string contact, string callId, string branch,
        string expires = "600")
    {
        await phone.SendAsync(SipRequests.Register(user, "127.0.0.1", contact, callId: callId, expires: expires, viaSentBy: phone.ViaSentBy));
        var challenge = Parse(await phone.ReceiveBytesAsync(Timeout));
        Assert.Equal(401, challenge.StatusCode);
        var auth = DigestTestClient.Authorization(challenge.GetHeader(SipHeaderNames.WwwAuthenticate)!, user, "secret", "REGISTER", "sip:127.0.0.1");
        return SipRequests.Register(user, "127.0.0.1", contact, cseq: 2, callId: callId, branch: branch, expires: expires, authorization: auth,
            viaSentBy: phone.ViaSentBy);
    }

    private static SipResponse Parse(byte[]? datagram)
    {
        Assert.NotNull(datagram);
        Assert.True(SipMessageParser.TryParse(datagram, false, out var message));
        return Assert.IsType<SipResponse>(message);
    }
}
