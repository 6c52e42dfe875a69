using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using LPTracker.Telephony.Registrar;
using LPTracker.Telephony.Sip.Auth;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Telephony.Hosting;

/// <summary>
/// Runs authenticated registrations (REGISTER → 401 → REGISTER with digest → 200) through a private, socket-less
/// <see cref="SipServer"/> before the real listeners bind. Right after a restart every phone registers at once, and the
/// SIP path then ran as the JIT's quick first-tier code while the tiered JIT recompiled it in the background: the
/// registrar fell behind, phones retransmitted, and every retransmitted first REGISTER cost a new challenge (bench/README.md,
/// "Registrar right after a restart"). Warmed here, the code the phones meet is compiled already. The private server has
/// its own throwaway users, location store and presence, with no database, no subscribers and no network: nothing it
/// does is seen outside it. Once per process (JIT state is per process; tests start many servers).
/// </summary>
internal static class SipWarmUp
{
    private static int _done;

    /// <summary><see cref="RunAsync"/> the first time a server of this process starts; 0 afterwards.</summary>
    public static Task<int> RunOnceAsync(SipOptions options, CancellationToken cancellationToken) =>
        options.WarmUpRegistrations > 0 && Interlocked.Exchange(ref _done, 1) == 0
            ? RunAsync(options, options.WarmUpRegistrations, cancellationToken)
            : Task.FromResult(0);

    /// <summary>Runs <paramref name="registrations"/> registrations over a few throwaway users (the first of each user
    /// creates a binding, the later ones refresh it, as after a restart); returns how many completed with a 200.</summary>
    public static async Task<int> RunAsync(SipOptions options, int registrations, CancellationToken cancellationToken)
    {
        var scratch = new SipOptions
        {
            // A name of its own (RFC 2606): the private registrar answers for nothing the real one does.
            Domain = "warm-up.invalid", DigestAlgorithms = options.DigestAlgorithms,
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

        var replies = new LastReply();
        await using var server = new SipServer(scratch, users, persistence: null, time: null, loggerFactory: null, sender: replies);
        var local = new IPEndPoint(IPAddress.Loopback, 5060);
        var completed = 0;
        for (var i = 0; i < registrations && !cancellationToken.IsCancellationRequested; i++)
        {
            var user = names[i % names.Length];
            var flow = new SipFlow(SipTransportKind.Udp, local, new IPEndPoint(IPAddress.Loopback, 20000 + (i % names.Length)));
            var callId = $"warm-up-{i}";
            await server.Processor.ProcessAsync(Register(scratch.Domain, user, flow, callId, 1, null), flow, cancellationToken)
                .ConfigureAwait(false);
            if (replies.Take() is not { StatusCode: 401 } challenge
                || challenge.GetHeader(SipHeaderNames.WwwAuthenticate) is not { } offer
                || DigestClient.Answer(offer, user, password, SipMethods.Register, $"sip:{scratch.Domain}") is not { } authorization)
            {
                continue;
            }

            await server.Processor.ProcessAsync(Register(scratch.Domain, user, flow, callId, 2, authorization), flow, cancellationToken)
                .ConfigureAwait(false);
            if (replies.Take() is { StatusCode: 200 })
            {
                completed++;
            }
        }

        return completed;
    }

    /// <summary>A REGISTER as a phone sends it (the benchmark's phones and real ones carry the same headers).</summary>
    private static ReadOnlyMemory<byte> Register(string domain, string user, SipFlow flow, string callId, int cseq, string? authorization)
    {
        var contact = flow.Remote.ToString();
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

    /// <summary>Keeps the last response the private server sent (parsed at once: the bytes are a pooled buffer).</summary>
    private sealed class LastReply : ISipSender
    {
        private SipResponse? _last;

        public ValueTask<bool> SendAsync(SipFlow flow, IPEndPoint destination, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            _last = SipMessageParser.TryParse(data.ToArray(), isStream: false, out var message) ? message as SipResponse : null;
            return ValueTask.FromResult(true);
        }

        public SipResponse? Take() => Interlocked.Exchange(ref _last, null);
    }
}
