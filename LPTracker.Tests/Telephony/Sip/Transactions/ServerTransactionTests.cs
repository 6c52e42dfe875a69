using System.Net;
using LPTracker.Telephony.Sip.Auth;
using LPTracker.Telephony.Sip.Transport;
using LPTracker.Tests.Telephony.TestSupport;

namespace LPTracker.Tests.Telephony.Sip.Transactions;

/// <summary>Non-INVITE server transactions (RFC 3261 §17.2.2).</summary>
public sealed class ServerTransactionTests
{
    [Fact]
    public async Task Retransmitted_request_gets_the_same_response_without_reaching_the_registrar_again()
    {
        var directory = new CountingDirectory();
        await using var h = new RegistrarHarness(directory: directory);
        directory.Inner.AddUser("alice", "secret", h.Options.EffectiveRealm);
        var request = await AuthenticatedRegisterAsync(h, "<sip:alice@192.0.2.10>", "z9hG4bKretrans", "secret");

        var first = await h.SendAsync(request);
        var firstBytes = h.Sender.Sent.Single().Data;
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var second = await h.SendAsync(request);
        var secondBytes = h.Sender.Sent.Single().Data;

        Assert.Equal(200, first!.StatusCode);
        Assert.Equal(200, second!.StatusCode);
        Assert.Equal(firstBytes, secondBytes);
        Assert.Equal(1, directory.Lookups);
    }

    [Fact]
    public async Task A_retransmission_lists_the_current_bindings_without_reaching_the_registrar_again()
    {
        var directory = new CountingDirectory();
        await using var h = new RegistrarHarness(directory: directory);
        directory.Inner.AddUser("alice", "secret", h.Options.EffectiveRealm);
        var request = await AuthenticatedRegisterAsync(h, "<sip:alice@192.0.2.10:5060>", "z9hG4bKfirst", "secret");
        var first = await h.SendAsync(request);
        await h.RegisterAsync("alice", contact: "<sip:alice@192.0.2.10:5070>", callId: "second-phone");
        var lookups = directory.Lookups;

        h.Time.Advance(TimeSpan.FromSeconds(2));
        var again = await h.SendAsync(request);

        // RFC 3261 §10.3 step 8: a 200 lists the current bindings; the retransmission itself changes none of them.
        Assert.Single(first!.GetHeaderValues("Contact"));
        Assert.Equal(2, again!.GetHeaderValues("Contact").Count);
        Assert.Equal(first.ParseTo()!.Tag, again.ParseTo()!.Tag);
        Assert.Equal(lookups, directory.Lookups);
        Assert.Equal(2, h.Server.Locations.GetBindings("alice").Count);
    }

    [Fact]
    public async Task A_request_matching_a_completed_register_by_branch_but_naming_another_aor_gets_nothing()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        h.AddUser("bob");
        await h.RegisterAsync("bob", contact: "<sip:bob@198.51.100.7:5060>", from: new IPEndPoint(IPAddress.Parse("198.51.100.7"), 5060));
        var request = await AuthenticatedRegisterAsync(h, "<sip:alice@192.0.2.10>", "z9hG4bKmine", "secret");
        await h.SendAsync(request);

        // Same branch, sent-by and method (the transaction key), but To bob: bob's bindings must not be listed to alice.
        var probe = request.Replace("<sip:alice@example.com>\r\n", "<sip:bob@example.com>\r\n", StringComparison.Ordinal);
        Assert.NotEqual(request, probe);
        var answer = await h.SendAsync(probe);

        Assert.Null(answer);
        Assert.Empty(h.Sender.Sent);
    }

    [Fact]
    public async Task A_successful_register_keeps_a_few_dozen_bytes_for_timer_j()
    {
        await using var h = new RegistrarHarness();
        for (var i = 0; i < 3000; i++)
        {
            h.AddUser($"user{i}");
            Assert.Equal(200, (await h.RegisterAsync($"user{i}", contact: $"<sip:user{i}@192.0.2.10:5060>")).StatusCode);
        }

        // Record chunks are 8 KB per stripe and sweep tick, so partly filled chunks count here too (a 200 kept whole: ~180).
        var bytesEach = (double)h.Server.ServerTransactions.ChunkBytes / h.Server.ServerTransactions.Count;

        Assert.Equal(3000, h.Server.ServerTransactions.Count);
        Assert.True(bytesEach < 100, $"record bytes per completed registration: {bytesEach:0}");
    }

    [Fact]
    public async Task A_retransmission_within_timer_j_keeps_the_to_tag_and_after_it_is_a_new_request()
    {
        await using var h = new RegistrarHarness();
        var request = SipRequests.Simple("OPTIONS", branch: "z9hG4bKtag");
        var first = await h.SendAsync(request);

        h.Time.Advance(TimeSpan.FromSeconds(31));
        var within = await h.SendAsync(request);
        h.Time.Advance(TimeSpan.FromSeconds(3));
        var after = await h.SendAsync(request);

        Assert.Equal(first!.ParseTo()!.Tag, within!.ParseTo()!.Tag);
        Assert.NotEqual(first.ParseTo()!.Tag, after!.ParseTo()!.Tag);
    }

    [Fact]
    public async Task An_authenticated_register_retransmitted_after_timer_j_reaches_the_registrar_again()
    {
        var directory = new CountingDirectory();
        await using var h = new RegistrarHarness(directory: directory);
        directory.Inner.AddUser("alice", "secret", h.Options.EffectiveRealm);
        var request = await AuthenticatedRegisterAsync(h, "<sip:alice@192.0.2.10>", "z9hG4bKlate", "secret");
        await h.SendAsync(request);

        h.Time.Advance(TimeSpan.FromSeconds(34));
        await h.SendAsync(request);

        Assert.Equal(2, directory.Lookups);
    }

    [Fact]
    public async Task A_challenge_to_a_register_without_credentials_keeps_no_transaction()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");

        var challenge = await h.SendAsync(SipRequests.Register("alice", contact: "<sip:alice@192.0.2.10>"));

        Assert.Equal(401, challenge!.StatusCode);
        Assert.Equal(0, h.Server.ServerTransactions.Count);
    }

    [Fact]
    public async Task A_retransmitted_register_without_credentials_is_challenged_again()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        var request = SipRequests.Register("alice", contact: "<sip:alice@192.0.2.10>", branch: "z9hG4bKagain");

        var first = await h.SendAsync(request);
        h.Time.Advance(TimeSpan.FromMilliseconds(500));
        var second = await h.SendAsync(request);

        Assert.Equal(401, first!.StatusCode);
        Assert.Equal(401, second!.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_challenge_is_kept_so_a_retransmission_counts_no_second_failure()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        var request = await AuthenticatedRegisterAsync(h, "<sip:alice@192.0.2.10>", "z9hG4bKwrong", "wrong");

        await h.SendAsync(request);
        var firstBytes = h.Sender.Sent.Single().Data;
        await h.SendAsync(request);
        var secondBytes = h.Sender.Sent.Single().Data;

        Assert.Equal(firstBytes, secondBytes);
        Assert.Equal(1, h.Server.ServerTransactions.Count);
    }

    [Fact]
    public async Task After_timer_j_the_same_branch_is_a_new_transaction()
    {
        await using var h = new RegistrarHarness(o => o.T1 = TimeSpan.FromMilliseconds(500));
        var request = SipRequests.Simple("OPTIONS", branch: "z9hG4bKtimerj");
        await h.SendAsync(request);
        Assert.Equal(1, h.Server.ServerTransactions.Count);

        h.Time.Advance(TimeSpan.FromSeconds(33));

        Assert.Equal(0, h.Server.ServerTransactions.Count);
    }

    [Fact]
    public async Task Completed_transactions_are_kept_until_timer_j_on_udp()
    {
        await using var h = new RegistrarHarness();
        await h.SendAsync(SipRequests.Simple("OPTIONS"));

        h.Time.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(1, h.Server.ServerTransactions.Count);
    }

    [Fact]
    public async Task Tcp_transactions_are_not_kept_after_the_final_response()
    {
        await using var h = new RegistrarHarness();

        await h.SendAsync(SipRequests.Simple("OPTIONS", transport: "TCP"), transport: SipTransportKind.Tcp, connectionId: 1);

        Assert.Equal(0, h.Server.ServerTransactions.Count);
    }

    [Fact]
    public async Task Same_branch_with_another_method_is_another_transaction()
    {
        await using var h = new RegistrarHarness();

        var options = await h.SendAsync(SipRequests.Simple("OPTIONS", branch: "z9hG4bKshared"));
        var invite = await h.SendAsync(SipRequests.Simple("INVITE", branch: "z9hG4bKshared"));

        Assert.Equal(200, options!.StatusCode);
        Assert.Equal(407, invite!.StatusCode);
    }

    /// <summary>The second REGISTER of alice's exchange (answering a fresh challenge), not yet sent.</summary>
    private static async Task<string> AuthenticatedRegisterAsync(RegistrarHarness h, string contact, string branch, string password = "secret")
    {
        var challenge = await h.SendAsync(SipRequests.Register("alice", contact: contact));
        var auth = DigestTestClient.Authorization(challenge!.GetHeader("WWW-Authenticate")!, "alice", password, "REGISTER", "sip:example.com");
        return SipRequests.Register("alice", contact: contact, cseq: 2, branch: branch, authorization: auth);
    }

    private sealed class CountingDirectory : ISipUserDirectory
    {
        private int _lookups;

        public InMemorySipUserDirectory Inner { get; } = new();

        public int Lookups => _lookups;

        public ValueTask<SipUserCredentials?> FindAsync(string userName, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _lookups);
            return Inner.FindAsync(userName, cancellationToken);
        }
    }
}
