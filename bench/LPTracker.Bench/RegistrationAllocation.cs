using System.Globalization;
using System.Net;
using System.Runtime;
using System.Text;
using LPTracker.Telephony;
using LPTracker.Telephony.Sip.Auth;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Bench;

/// <summary>
/// Bytes allocated by the server per registration (REGISTER → 401 → REGISTER with digest → 200), measured with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> around the real pipeline (parser, server transactions, registrar,
/// digest check, location store, response writer) fed in-process: no sockets, so only the server's own work counts.
/// The client side (building requests, answering the challenge) runs outside the measured calls.
/// </summary>
internal static class RegistrationAllocation
{
    public static async Task<int> RunAsync(string[] args)
    {
        var users = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var options = new SipOptions
        {
            Domain = "127.0.0.1",
            Listen = ["udp:127.0.0.1:0"],
            DigestAlgorithms = "MD5",
            Ban = new SipBanOptions { MaxFailures = 0 },
            QualifyInterval = TimeSpan.FromHours(1),
        };
        var directory = new InMemorySipUserDirectory();
        for (var i = 1; i <= users; i++)
        {
            directory.AddUser(RegistrarHost.UserName(i), "pw" + i.ToString(CultureInfo.InvariantCulture), options.EffectiveRealm);
        }

        var sender = new LastResponse();
        await using var server = new SipServer(options, directory, persistence: null, time: null, loggerFactory: null, sender);
        var local = new IPEndPoint(IPAddress.Loopback, 5060);

        // Two rounds: the first warms up (JIT, tiering, first bindings); the second is what a steady registrar does
        // (every user refreshes an existing binding), which is what the figure reports.
        using var types = args.Contains("--types") ? new AllocationTypes() : null;
        // --rounds N: more steady rounds, each also timed (wall time of the server's calls only, so run it under the
        // bench lock: a CPU-time proxy for the managed part of the warm path, without sockets and without sipp).
        var roundsAt = Array.IndexOf(args, "--rounds");
        var rounds = roundsAt >= 0 ? int.Parse(args[roundsAt + 1], CultureInfo.InvariantCulture) : 2;
        for (var round = 1; round <= rounds; round++)
        {
            if (types is not null)
            {
                types.On = round == 2;
            }

            long challenge = 0, authenticated = 0;
            var serverTime = new System.Diagnostics.Stopwatch();
            for (var i = 1; i <= users; i++)
            {
                var user = RegistrarHost.UserName(i);
                var flow = new SipFlow(SipTransportKind.Udp, local, new IPEndPoint(IPAddress.Loopback, 20_000 + (i % 40_000)));
                var first = Register(user, i, round, cseq: 1, authorization: null, flow);
                serverTime.Start();
                challenge += await MeasureAsync(server, first, flow);
                serverTime.Stop();
                var nonceHeader = sender.Header(SipHeaderNames.WwwAuthenticate)
                    ?? throw new InvalidOperationException("no challenge: " + sender.StatusLine());
                var answer = DigestClient.Answer(nonceHeader, user, "pw" + i.ToString(CultureInfo.InvariantCulture), "REGISTER", "sip:127.0.0.1")!;
                var second = Register(user, i, round, cseq: 2, answer, flow);
                serverTime.Start();
                authenticated += await MeasureAsync(server, second, flow);
                serverTime.Stop();
                if (!sender.StatusLine().StartsWith("SIP/2.0 200", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("not registered: " + sender.StatusLine());
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: {users} registrations, bytes/registration {(challenge + authenticated) / users} " +
                $"(REGISTER→401 {challenge / users}, REGISTER→200 {authenticated / users}); " +
                $"bindings={server.Locations.Count} transactions={server.ServerTransactions.Count}; " +
                $"server {serverTime.Elapsed.TotalMicroseconds / users:F1} us/registration (wall, in-process)"));
        }

        if (args.Contains("--promoted"))
        {
            await PromotedAsync(server, sender, users, local);
            if (args.Contains("--hold"))
            {
                // Time for `dotnet-gcdump collect -p <pid>`: what 10,000 refreshed bindings keep alive, by type.
                Console.WriteLine($"holding 60 s, pid {Environment.ProcessId}");
                await Task.Delay(TimeSpan.FromSeconds(60));
            }

            return 0;
        }

        if (types is not null)
        {
            await Task.Delay(2000);
            types.On = false;
            types.Print();
            return 0;
        }

        // What the completed transactions (Timer J) and 10,000 bindings hold once garbage is gone.
        var held = GC.GetTotalMemory(forceFullCollection: true);
        var completed = server.ServerTransactions.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"managed heap after a full GC: {held / 1024 / 1024} MiB " +
            $"with {server.Locations.Count} bindings and {completed} completed transactions"));

        // Then the same once Timer J (32 s) has dropped them: the difference is what the completed transactions held.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (server.ServerTransactions.Count > 0 && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(500);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"after Timer J: {after / 1024 / 1024} MiB with {server.ServerTransactions.Count} transactions; " +
            $"heap held per completed transaction: {(held - after) / Math.Max(1, completed)} bytes"));
        return 0;
    }

    /// <summary>
    /// What a refresh leaves to die in gen 2 (decisions 0090, 0096): a full GC, one more round where every user refreshes
    /// its binding (a forced gen-1 GC every 1,000), then two forced gen-1 GCs, so whatever the round left referenced from
    /// long-lived state is promoted; gen 2 grew by that, and a full compacting GC then shows how much of it was garbage.
    /// Less the completed transactions' pooled chunks, which Timer J recycles after 32 s in a steady registrar (this
    /// bench runs for seconds, so they only grow here); it is printed beside.
    /// </summary>
    private static async Task PromotedAsync(SipServer server, LastResponse sender, int users, IPEndPoint local)
    {
        for (var round = 3; round <= 5; round++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var (gen2Before, lohBefore) = OldGenerations();
            var chunksBefore = server.ServerTransactions.ChunkBytes;
            for (var i = 1; i <= users; i++)
            {
                if (i % 1000 == 0)
                {
                    // A gen-1 collection every 1,000 refreshes, as LPTracker.Web has about ten a second at 10,000/s: what
                    // a refresh left referenced from long-lived state at that moment goes to gen 2, as there.
                    GC.Collect(1, GCCollectionMode.Forced, blocking: true);
                }

                var user = RegistrarHost.UserName(i);
                var flow = new SipFlow(SipTransportKind.Udp, local, new IPEndPoint(IPAddress.Loopback, 20_000 + (i % 40_000)));
                await MeasureAsync(server, Register(user, i, round, cseq: 1, authorization: null, flow), flow);
                var answer = DigestClient.Answer(sender.Header(SipHeaderNames.WwwAuthenticate)!, user, "pw" + i.ToString(CultureInfo.InvariantCulture),
                    "REGISTER", "sip:127.0.0.1")!;
                await MeasureAsync(server, Register(user, i, round, cseq: 2, answer, flow), flow);
            }

            GC.Collect(1, GCCollectionMode.Forced, blocking: true);
            GC.Collect(1, GCCollectionMode.Forced, blocking: true);
            var (gen2After, lohAfter) = OldGenerations();
            var grown = gen2After - gen2Before;
            var chunks = server.ServerTransactions.ChunkBytes - chunksBefore;
            // Then what of it was garbage: a full compacting collection frees what reached gen 2 (this round, or live at
            // its start, like the previous round's Call-IDs) and died there. Independent of when the GC chose to run.
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var (gen2Live, _) = OldGenerations();
            // The LOH apart: it grows when the transaction index doubles (more transactions every round here), not per refresh.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: gen 2 grew {grown / 1024} KiB over {users} refreshes: {grown / users} bytes/refresh, " +
                $"of which completed-transaction chunks {chunks / users}; the rest {(grown - chunks) / users} bytes/refresh (LOH grew {(lohAfter - lohBefore) / 1024} KiB); " +
                $"garbage in gen 2 {(gen2After - gen2Live) / users} bytes/refresh"));
        }
    }

    private static (long Gen2, long Loh) OldGenerations()
    {
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        // Objects only: promotion fills gen 2's free space first, which SizeAfterBytes counts either way.
        return (info.GenerationInfo[2].SizeAfterBytes - info.GenerationInfo[2].FragmentationAfterBytes,
            info.GenerationInfo[3].SizeAfterBytes - info.GenerationInfo[3].FragmentationAfterBytes);
    }

    private static async ValueTask<long> MeasureAsync(SipServer server, byte[] request, SipFlow flow)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var task = server.Processor.ProcessAsync(request, flow, CancellationToken.None);
        var after = GC.GetAllocatedBytesForCurrentThread();
        if (!task.IsCompletedSuccessfully)
        {
            // The in-memory directory never suspends; a suspension here would hide allocations on other threads.
            await task;
            throw new InvalidOperationException("processing went asynchronous; the per-thread figure would be wrong");
        }

        return after - before;
    }

    private static byte[] Register(string user, int i, int round, int cseq, string? authorization, SipFlow flow)
    {
        var port = flow.Remote.Port.ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder(512)
            .Append("REGISTER sip:127.0.0.1 SIP/2.0\r\n")
            .Append(CultureInfo.InvariantCulture, $"Via: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK-{round}-{i}-{cseq};rport\r\n")
            .Append(CultureInfo.InvariantCulture, $"From: <sip:{user}@127.0.0.1>;tag={round}SIPpTag{i}\r\n")
            .Append(CultureInfo.InvariantCulture, $"To: <sip:{user}@127.0.0.1>\r\n")
            .Append(CultureInfo.InvariantCulture, $"Call-ID: {round}-{i}@127.0.0.1\r\n")
            .Append(CultureInfo.InvariantCulture, $"CSeq: {cseq} REGISTER\r\n")
            .Append(CultureInfo.InvariantCulture, $"Contact: <sip:{user}@127.0.0.1:{port};transport=UDP>\r\n")
            .Append("Max-Forwards: 70\r\nExpires: 3600\r\nUser-Agent: sipp\r\n");
        if (authorization is not null)
        {
            text.Append("Authorization: ").Append(authorization).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(text.Append("Content-Length: 0\r\n\r\n").ToString());
    }

    /// <summary>Keeps the last response, copied into a buffer of its own (the server may reuse its buffer; copying
    /// allocates nothing, so the sender adds nothing to the measured figure).</summary>
    private sealed class LastResponse : ISipSender
    {
        private readonly byte[] _buffer = new byte[65_536];
        private int _length;

        private ReadOnlyMemory<byte> Last => _buffer.AsMemory(0, _length);

        public ValueTask<bool> SendAsync(SipFlow flow, IPEndPoint destination, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            data.Span.CopyTo(_buffer);
            _length = data.Length;
            return ValueTask.FromResult(true);
        }

        public string StatusLine()
        {
            var text = Encoding.UTF8.GetString(Last.Span);
            return text[..Math.Max(0, text.IndexOf('\r', StringComparison.Ordinal))];
        }

        public string? Header(string name)
        {
            SipMessageParser.TryParse(Last, false, out var message);
            return message?.GetHeader(name);
        }
    }
}
