using System.Net;
using System.Text;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transactions;
using LPTracker.Telephony.Sip.Transport;
using LPTracker.Tests.Telephony.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace LPTracker.Tests.Telephony.Sip.Transactions;

/// <summary>The server transaction table's compact completed state (decision 0066), on the table itself.</summary>
public sealed class ServerTransactionTableTests
{
    private static readonly SipFlow _udp = new(SipTransportKind.Udp, RegistrarHarness.Local, RegistrarHarness.Phone);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingSender _sender = new();

    [Fact]
    public async Task A_response_rebuilt_for_a_retransmission_is_byte_identical_with_a_body_and_extra_headers()
    {
        using var table = new ServerTransactionTable(_time, TimeSpan.FromMilliseconds(500));
        var text = SipRequests.Simple("MESSAGE", branch: "z9hG4bKbody");

        var sent = await CompleteThenRetransmitAsync(table, text, request =>
        {
            var response = SipResponseFactory.Create(request, 488, "Not Acceptable Here");
            response.AddHeader("Warning", "399 example.com \"no\"");
            response.AddHeader("Content-Type", "text/plain");
            response.Body = Encoding.UTF8.GetBytes("why: Ünicode");
            return response;
        });

        Assert.Equal(sent[0], sent[1]);
    }

    [Fact]
    public async Task A_response_whose_copied_headers_were_changed_is_kept_whole()
    {
        using var table = new ServerTransactionTable(_time, TimeSpan.FromMilliseconds(500));
        var text = SipRequests.Simple("OPTIONS", branch: "z9hG4bKchanged");

        var sent = await CompleteThenRetransmitAsync(table, text, request =>
        {
            var response = SipResponseFactory.Create(request, 200, "OK");
            response.RemoveHeader(SipHeaderNames.To);
            response.AddHeader(SipHeaderNames.To, "<sip:someone-else@example.com>;tag=fixed");
            return response;
        });

        Assert.Equal(sent[0], sent[1]);
        Assert.Contains("someone-else", Encoding.UTF8.GetString(sent[1]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retransmission_while_the_first_copy_is_in_progress_gets_nothing()
    {
        using var table = new ServerTransactionTable(_time, TimeSpan.FromMilliseconds(500));
        var request = Parse(SipRequests.Simple("OPTIONS", branch: "z9hG4bKtrying"));
        Assert.True(table.TryBegin(request, out _));

        var again = table.TryBegin(request, out var transaction);
        await table.RetransmitAsync(transaction, request, _udp, _udp.Remote, _sender, CancellationToken.None);

        Assert.False(again);
        Assert.Empty(_sender.Sent);
    }

    [Fact]
    public void Only_one_of_many_simultaneous_copies_begins_the_transaction()
    {
        using var table = new ServerTransactionTable(_time, TimeSpan.FromMilliseconds(500));
        var requests = Enumerable.Range(0, 2000).Select(i => Parse(SipRequests.Simple("OPTIONS", branch: $"z9hG4bKrace{i}"))).ToArray();
        var begun = new int[requests.Length];

        Parallel.For(0, requests.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, n =>
        {
            if (table.TryBegin(requests[n % requests.Length], out _))
            {
                Interlocked.Increment(ref begun[n % requests.Length]);
            }
        });

        Assert.All(begun, count => Assert.Equal(1, count));
        Assert.Equal(requests.Length, table.Count);
    }

    [Fact]
    public async Task Expired_transactions_give_their_chunks_back_and_the_next_ones_reuse_them()
    {
        using var table = new ServerTransactionTable(_time, TimeSpan.FromMilliseconds(500));
        await CompleteManyAsync(table, "a", 5000);
        var used = table.ChunkBytes;

        _time.Advance(TimeSpan.FromSeconds(33));
        var afterExpiry = (table.Count, table.ChunkBytes);
        await CompleteManyAsync(table, "b", 200);

        Assert.True(used is > 0 and < 5000 * 400, $"chunk bytes for 5000 transactions: {used}");
        Assert.Equal((0, 0L), afterExpiry);
        Assert.Equal(200, table.Count);
    }

    [Fact]
    public async Task A_completed_transaction_on_a_reliable_flow_is_not_kept()
    {
        using var table = new ServerTransactionTable(_time, TimeSpan.FromMilliseconds(500));
        var tcp = new SipFlow(SipTransportKind.Tcp, RegistrarHarness.Local, RegistrarHarness.Phone, 1);
        var request = Parse(SipRequests.Simple("OPTIONS", transport: "TCP"));
        table.TryBegin(request, out var transaction);

        await table.CompleteAsync(transaction, SipResponseFactory.Create(request, 200, "OK"), tcp, tcp.Remote, _sender, CancellationToken.None);

        Assert.Equal(0, table.Count);
        Assert.Single(_sender.Sent);
    }

    private async Task<byte[][]> CompleteThenRetransmitAsync(ServerTransactionTable table, string text, Func<SipRequest, SipResponse> respond)
    {
        var request = Parse(text);
        table.TryBegin(request, out var transaction);
        await table.CompleteAsync(transaction, respond(request), _udp, _udp.Remote, _sender, CancellationToken.None);
        var retransmission = Parse(text);
        Assert.False(table.TryBegin(retransmission, out var existing));
        await table.RetransmitAsync(existing, retransmission, _udp, _udp.Remote, _sender, CancellationToken.None);
        return [.. _sender.Sent.Select(s => s.Data)];
    }

    private async Task CompleteManyAsync(ServerTransactionTable table, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var request = Parse(SipRequests.Simple("OPTIONS", branch: $"z9hG4bK{prefix}{i}"));
            Assert.True(table.TryBegin(request, out var transaction));
            await table.CompleteAsync(transaction, SipResponseFactory.Create(request, 200, "OK"), _udp, _udp.Remote, _sender, CancellationToken.None);
        }
    }

    private static SipRequest Parse(string text)
    {
        Assert.True(SipMessageParser.TryParse(Encoding.UTF8.GetBytes(text), false, out var message));
        var request = (SipRequest)message!;
        request.TopVia!.StampReceived("192.0.2.10", 5060);
        return request;
    }
}
