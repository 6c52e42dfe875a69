using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transactions;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Bench;

/// <summary>
/// The server transaction table alone under concurrent use: T threads begin and complete transactions over distinct
/// keys (as the receive path does for every REGISTER with credentials) while the sweep drops expired ones, then look
/// every key up again (a retransmission's first step). Requests and responses are built beforehand, so the figures are
/// the table's own: operations per second and process CPU per operation (all threads).
/// </summary>
internal static class TransactionTableLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var threads = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : Environment.ProcessorCount;
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 400_000;
        var flow = new SipFlow(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5060), new IPEndPoint(IPAddress.Loopback, 5070));
        var requests = new SipRequest[count * 2];
        var responses = new SipResponse[count * 2];
        for (var i = 0; i < count * 2; i++)
        {
            requests[i] = Parse(i);
            responses[i] = SipResponseFactory.Create(requests[i], 200, "OK");
            responses[i].AddHeader(SipHeaderNames.Contact, $"<sip:user{i:D5}@127.0.0.1:5070;transport=UDP>;expires=3600");
        }

        // Round 2 starts once round 1's transactions expire (Timer J = 32 s), so the sweep removes them while the
        // threads add new ones, as at a steady rate.
        using var table = new ServerTransactionTable(TimeProvider.System, TimeSpan.FromMilliseconds(500));
        var sender = new DiscardingSender();
        for (var round = 1; round <= 2; round++)
        {
            var first = (round - 1) * count;
            await MeasureAsync($"round {round} begin+complete", threads, count, async n =>
            {
                var i = first + n;
                if (table.TryBegin(requests[i], out var transaction))
                {
                    await table.CompleteAsync(transaction, responses[i], flow, flow.Remote, sender, CancellationToken.None);
                }
            });
            await MeasureAsync($"round {round} lookup", threads, count, n =>
            {
                table.TryBegin(requests[first + n], out _);
                return ValueTask.CompletedTask;
            });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: {table.Count} transactions kept"));
            await Task.Delay(TimeSpan.FromSeconds(33));
        }

        return 0;
    }

    private static async Task MeasureAsync(string name, int threads, int count, Func<int, ValueTask> operation)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(async () =>
        {
            for (var i = t; i < count; i += threads)
            {
                await operation(i);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()).ToArray();
        await Task.WhenAll(workers);
        wall.Stop();
        process.Refresh();
        var spent = process.TotalProcessorTime - cpu;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {threads} threads, {count} operations in {wall.ElapsedMilliseconds} ms = {count / wall.Elapsed.TotalSeconds:F0}/s, " +
            $"CPU {spent.TotalMilliseconds * 1000 / count:F2} us/operation"));
    }

    private static SipRequest Parse(int i)
    {
        var text = "REGISTER sip:127.0.0.1 SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-{i}-2;rport\r\n" +
            $"From: <sip:user{i:D5}@127.0.0.1>;tag={i}SIPpTag\r\nTo: <sip:user{i:D5}@127.0.0.1>\r\n" +
            $"Call-ID: {i}@127.0.0.1\r\nCSeq: 2 REGISTER\r\nContent-Length: 0\r\n\r\n";
        SipMessageParser.TryParse(Encoding.UTF8.GetBytes(text), false, out var message);
        var request = (SipRequest)message!;
        request.TopVia!.StampReceived("127.0.0.1", 5070);
        return request;
    }

    private sealed class DiscardingSender : ISipSender
    {
        public ValueTask<bool> SendAsync(SipFlow flow, IPEndPoint destination, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
            ValueTask.FromResult(true);
    }
}
