using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime;
using System.Security.Cryptography;
using System.Text;
using LPTracker.Telephony.Registrar;
using LPTracker.Telephony.Sip.Auth;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Telephony.Hosting;

/// <summary>
/// Runs authenticated registrations (REGISTER → 401 → REGISTER with digest → 200) through a private
/// <see cref="SipServer"/> on a loopback port before the real listeners bind. Right after a restart every phone registers
/// at once, and the SIP path then ran as the JIT's quick first-tier code while the tiered JIT recompiled it in the
/// background: the registrar fell behind, phones retransmitted, and every retransmitted first REGISTER cost a new
/// challenge (bench/README.md, "Registrar right after a restart"). The rounds go on until the JIT has compiled nothing
/// for <see cref="QuietPeriod"/>, so its second pass (the optimised code of everything hot, the UDP socket path
/// included) is done before the phones come. The private server has its own throwaway users, location store and
/// presence, with no database and no subscriber outside it: nothing it does is seen outside it. Once per process (JIT
/// state is per process; tests start many servers).
/// </summary>
internal static class SipWarmUp
{
    /// <summary>No method compiled for this long, registrations running all the while: the JIT is done with them. Longer
    /// than the tiered JIT's call-counting delay (100 ms) plus a background compilation batch.</summary>
    internal static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(300);

    // Loopback loses nothing; a first-tier path on a busy machine can take a second or more to answer. A reply later
    // than this ends the round (something is wrong; the warm-up must never hold the start-up for long).
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(5);
    private static int _done;

    /// <summary><see cref="RunUntilQuietAsync"/> the first time a server of this process starts, then one compacting
    /// collection that gives the warm-up's garbage back to the system; 0 afterwards.</summary>
    public static async Task<int> RunOnceAsync(SipOptions options, CancellationToken cancellationToken)
    {
        if (options.WarmUpRegistrations <= 0 || Interlocked.Exchange(ref _done, 1) != 0)
        {
            return 0;
        }

        var completed = await RunUntilQuietAsync(options, cancellationToken).ConfigureAwait(false);
        // Seconds of throwaway servers, bindings and transaction records are all dead now, spread over every
        // generation: the start-up RSS went from 166 to 186-193 MB when the warm-up began running until the JIT is
        // quiet (bench/README.md, session 7), and issue 11 counts resident memory. Once per process, before the port
        // binds: no phone waits on it yet.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        // The same for the native heap: the JIT's working memory for the start-up and the warm-up is free now too.
        NativeHeap.Trim();
        return completed;
    }

    /// <summary>
    /// Rounds of <see cref="SipOptions.WarmUpRegistrations"/> registrations, each through a new private server (so every
    /// round creates bindings, as after a restart, and refreshes them), until no method has been JIT-compiled for
    /// <see cref="QuietPeriod"/> or <see cref="SipOptions.WarmUpLimit"/> has passed; at least one round. Returns how many
    /// registrations completed with a 200.
    /// </summary>
    public static async Task<int> RunUntilQuietAsync(SipOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var compiled = JitInfo.GetCompiledMethodCount();
        var changedAt = TimeSpan.Zero;
        var completed = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            completed += await RunAsync(options, options.WarmUpRegistrations, cancellationToken).ConfigureAwait(false);
            var now = JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                compiled = now;
                changedAt = clock.Elapsed;
            }
            else if (clock.Elapsed - changedAt >= QuietPeriod)
            {
                break;
            }

            if (clock.Elapsed >= options.WarmUpLimit)
            {
                break;
            }
        }

        return completed;
    }

    /// <summary>Runs <paramref name="registrations"/> registrations over a few throwaway users (the first of each user
    /// creates a binding, the later ones refresh it, as after a restart) from a loopback UDP socket to a new private
    /// server; returns how many completed with a 200.</summary>
    public static async Task<int> RunAsync(SipOptions options, int registrations, CancellationToken cancellationToken)
    {
        var scratch = new SipOptions
        {
            // A name of its own (RFC 2606): the private registrar answers for nothing the real one does.
            Domain = "warm-up.invalid", DigestAlgorithms = options.DigestAlgorithms,
            Listen = ["udp:127.0.0.1:0"], UdpConcurrency = options.UdpConcurrency, WarmUpRegistrations = 0,
            // Nothing of the private server must outlive the warm-up: no qualify ping would go anywhere anyway.
            QualifyInterval = TimeSpan.FromHours(1),
        };
        var users = new InMemorySipUserDirectory();
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var names = Enumerable.Range(0, Math.Clamp(registrations / 4, 1, 256)).Select(i => $"warm-up-{i}").ToArray();
        foreach (var name in names)
        {
            users.AddUser(name, password, scratch.EffectiveRealm);
        }

        await using var server = new SipServer(scratch, users);
        // A subscriber, as the console's presence bridge is: the tracker's publishing path is part of a first REGISTER.
        using var presence = server.Presence.Subscribe(static _ => { });
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        using var phone = new Phone(server.GetEndPoint(SipTransportKind.Udp));
        var completed = 0;
        for (var i = 0; i < registrations && !cancellationToken.IsCancellationRequested; i++)
        {
            var user = names[i % names.Length];
            var callId = $"warm-up-{i}";
            if (phone.Ask(Register(scratch.Domain, user, phone.Local, callId, 1, null), callId) is not { } first)
            {
                break;
            }

            if (first is not { StatusCode: 401 } challenge
                || challenge.GetHeader(SipHeaderNames.WwwAuthenticate) is not { } offer
                || DigestClient.Answer(offer, user, password, SipMethods.Register, $"sip:{scratch.Domain}") is not { } authorization)
            {
                continue;
            }

            if (phone.Ask(Register(scratch.Domain, user, phone.Local, callId, 2, authorization), callId) is { StatusCode: 200 })
            {
                completed++;
            }
        }

        return completed;
    }

    /// <summary>A REGISTER as a phone sends it (the benchmark's phones and real ones carry the same headers).</summary>
    private static byte[] Register(string domain, string user, IPEndPoint from, string callId, int cseq, string? authorization)
    {
        var contact = from.ToString();
        var text = new StringBuilder(512)
            .Append(CultureInfo.InvariantCulture, $"REGISTER sip:{domain} SIP/2.0\r\n")
            .Append(CultureInfo.InvariantCulture, $"Via: SIP/2.0/UDP {contact};branch=z9hG4bK-{callId}-{cseq};rport\r\n")
            .Append(CultureInfo.InvariantCulture, $"From: <sip:{user}@{domain}>;tag={callId}\r\n")
            .Append(CultureInfo.InvariantCulture, $"To: <sip:{user}@{domain}>\r\n")
            .Append(CultureInfo.InvariantCulture, $"Call-ID: {callId}\r\n")
            .Append(CultureInfo.InvariantCulture, $"CSeq: {cseq} REGISTER\r\n")
            .Append(CultureInfo.InvariantCulture, $"Contact: <sip:{user}@{contact}>\r\n")
            .Append("Max-Forwards: 70\r\nExpires: 3600\r\n");
        if (authorization is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"Authorization: {authorization}\r\n");
        }

        text.Append("User-Agent: warm-up\r\nContent-Length: 0\r\n\r\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The warm-up's phone: a loopback UDP socket that sends a request and waits for its response.</summary>
    private sealed class Phone : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly IPEndPoint _server;
        private readonly byte[] _buffer = new byte[65_536];

        public Phone(IPEndPoint server)
        {
            _server = server;
            _socket.ReceiveTimeout = (int)ReplyTimeout.TotalMilliseconds;
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Local = (IPEndPoint)_socket.LocalEndPoint!;
        }

        public IPEndPoint Local { get; }

        /// <summary>The response to the request of <paramref name="callId"/>, or null after <see cref="ReplyTimeout"/>
        /// (a stale response to an earlier request is skipped).</summary>
        public SipResponse? Ask(byte[] request, string callId)
        {
            _socket.SendTo(request, _server);
            try
            {
                while (true)
                {
                    var length = _socket.Receive(_buffer);
                    if (SipMessageParser.TryParse(_buffer.AsMemory(0, length).ToArray(), isStream: false, out var message)
                        && message is SipResponse response && response.GetHeader(SipHeaderNames.CallId) == callId)
                    {
                        return response;
                    }
                }
            }
            catch (SocketException)
            {
                return null;
            }
        }

        public void Dispose() => _socket.Dispose();
    }
}
