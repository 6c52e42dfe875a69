using System.Net;
using System.Text;
using LPTracker.Telephony;
using LPTracker.Telephony.Registrar;
using LPTracker.Telephony.Sip.Auth;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transport;
using Microsoft.Extensions.Time.Testing;

namespace LPTracker.Tests.Telephony.TestSupport;

/// <summary>
/// A <see cref="SipServer"/> without sockets: requests go straight into the message processor, responses are
/// recorded, and time is a <see cref="FakeTimeProvider"/>.
/// </summary>
internal sealed class RegistrarHarness : IAsyncDisposable
{
    public const string Domain = "example.com";
    public static readonly IPEndPoint Local = new(IPAddress.Parse("192.0.2.1"), 5060);
    public static readonly IPEndPoint Phone = new(IPAddress.Parse("192.0.2.10"), 5060);

    public RegistrarHarness(Action<SipOptions>? configure = null, IBindingPersistence? persistence = null, ISipUserDirectory? directory = null)
    {
        Options = new SipOptions { Domain = Domain, Listen = ["udp:127.0.0.1:0"] };
        configure?.Invoke(Options);
        Server = new SipServer(Options, directory ?? Directory, persistence, Time, null, Sender);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));

    public InMemorySipUserDirectory Directory { get; } = new();

    public RecordingSender Sender { get; } = new();

    public SipOptions Options { get; }

    public SipServer Server { get; }

    public SipUserCredentials AddUser(string user, string password = "secret", long employeeId = 7, int accountId = 19079) =>
        Directory.AddUser(user, password, Options.EffectiveRealm, employeeId, accountId);

    /// <summary>Feeds raw text in and returns the one response it produced (or null when dropped).</summary>
    public async Task<SipResponse?> SendAsync(string text, IPEndPoint? from = null, SipTransportKind transport = SipTransportKind.Udp, long connectionId = 0)
    {
        return await SendAsync(Encoding.UTF8.GetBytes(text), from, transport, connectionId);
    }

    public async Task<SipResponse?> SendAsync(byte[] data, IPEndPoint? from = null, SipTransportKind transport = SipTransportKind.Udp, long connectionId = 0)
    {
        Sender.Clear();
        var flow = new SipFlow(transport, Local, from ?? Phone, connectionId);
        await Server.Processor.ProcessAsync(data, flow, CancellationToken.None);
        var responses = Sender.Messages().OfType<SipResponse>().ToList();
        Assert.True(responses.Count <= 1, "expected at most one response");
        return responses.Count == 1 ? responses[0] : null;
    }

    /// <summary>Runs the REGISTER / 401 / REGISTER-with-credentials exchange a phone performs.</summary>
    public async Task<SipResponse> RegisterAsync(string user, string password = "secret", string? contact = null, string? expires = "600",
        uint cseq = 1, string? callId = null, IPEndPoint? from = null, string? toUser = null, SipTransportKind transport = SipTransportKind.Udp,
        long connectionId = 0)
    {
        contact ??= $"<sip:{user}@192.0.2.10:5060>";
        var challenge = await SendAsync(SipRequests.Register(user, Domain, contact, cseq, callId, expires: expires, toUser: toUser), from, transport, connectionId);
        Assert.NotNull(challenge);
        if (challenge!.StatusCode != 401)
        {
            return challenge;
        }

        var authorization = DigestTestClient.Authorization(challenge.GetHeader(SipHeaderNames.WwwAuthenticate)!, user, password, "REGISTER", $"sip:{Domain}");
        var final = await SendAsync(SipRequests.Register(user, Domain, contact, cseq + 1, callId, expires: expires, authorization: authorization, toUser: toUser),
            from, transport, connectionId);
        return final!;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
