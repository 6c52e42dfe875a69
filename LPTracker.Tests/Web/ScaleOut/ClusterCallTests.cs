using System.Diagnostics;
using LPTracker.Core.Employees;
using LPTracker.Core.Numbers;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Telephony.Cluster;
using LPTracker.Telephony.Integration;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Tests.Infrastructure;
using LPTracker.Tests.Interop;
using LPTracker.Tests.Telephony.Calls;
using LPTracker.Tests.Telephony.TestSupport;
using LPTracker.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace LPTracker.Tests.Web.ScaleOut;

/// <summary>Two nodes with a trunk: the carrier (a raw UDP peer) calls node A.</summary>
public sealed class TrunkTwoNodeCluster : TwoNodeCluster
{
    public int CarrierPort { get; } = ExternalTool.FreePort();

    protected override void Configure(IDictionary<string, string?> settings)
    {
        // No qualify pings: the raw phone would take an OPTIONS for the INVITE it waits for.
        settings["Sip:QualifyInterval"] = "01:00:00";
        settings["Sip:Trunks:0:Name"] = "carrier";
        settings["Sip:Trunks:0:Address"] = $"127.0.0.1:{CarrierPort}";
        settings["Sip:Trunks:0:Transport"] = "udp";
    }
}

/// <summary>Calls across nodes over real sockets: node A takes the carrier's call and sends the leg to node B, which
/// holds the phone's flow; a leg that does not come from a node is refused.</summary>
public sealed class ClusterCallTests(TrunkTwoNodeCluster cluster, ITestOutputHelper output) : IClassFixture<TrunkTwoNodeCluster>
{
    private const string Client = "+79161234567";
    private const string Sdp = "v=0\r\no=phone 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4002 RTP/AVP 0\r\n";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_carrier_call_at_node_a_rings_the_phone_registered_on_node_b_which_answers_and_the_pop_up_reaches_the_hub()
    {
        var (owner, _) = await cluster.A.SignUpAsync();
        var ivan = await cluster.A.AddEmployeeAsync(owner, "ivan", "secret123");
        var dialled = await WorkingWithNumberAsync(owner, ivan);
        var (user, password) = await cluster.A.IssueSipAccountAsync(ivan);
        using var phone = new RawSipPeer();
        using var carrier = new RawSipPeer(cluster.CarrierPort);
        await RegisterOnBAsync(phone, user, password);
        var cookies = await HttpSignIn.SignInAsync(cluster.B.BaseUrl, await cluster.A.LoginOfAsync(ivan), "secret123");
        await using var hub = new HubConnectionBuilder().WithUrl(cluster.B.BaseUrl + TelephonyHub.Path, o => o.Cookies = cookies).Build();
        var popUp = new TaskCompletionSource<IncomingCallMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<IncomingCallMessage>(CallHubBridge.IncomingCallMethod, m => popUp.TrySetResult(m));
        await hub.StartAsync();

        var clock = Stopwatch.StartNew();
        await carrier.SendAsync(carrier.Invite(dialled, cluster.A.SipUdp, from: Client), cluster.A.SipUdp);
        var invite = await phone.ExpectRequestAsync("INVITE", Patience);
        output.WriteLine($"the phone on node B got the INVITE {clock.ElapsedMilliseconds} ms after the carrier's INVITE to node A");
        await phone.SendAsync(RawSipPeer.Answer(invite, 180, "Ringing"), cluster.B.SipUdp);
        var card = await popUp.Task.WaitAsync(Patience);
        await phone.SendAsync(RawSipPeer.Answer(invite, 200, "OK", body: Sdp), cluster.B.SipUdp);
        var ok = await carrier.ExpectFinalAsync(timeout: Patience);
        await carrier.SendAsync(carrier.InDialog(ok, "ACK", 1, ""), cluster.A.SipUdp);
        await phone.ExpectRequestAsync("ACK", Patience);
        await carrier.SendAsync(carrier.InDialog(ok, "BYE", 2, ""), cluster.A.SipUdp);
        var bye = await phone.ExpectRequestAsync("BYE", Patience);
        await phone.SendAsync(RawSipPeer.Answer(bye, 200, "OK"), cluster.B.SipUdp);
        var byeOk = await carrier.ExpectFinalAsync("BYE", Patience);

        Assert.Equal(Client, card.ClientNumber);
        Assert.Equal(Client, invite.ParseFrom()!.Uri.User);
        Assert.Null(invite.GetHeader(NodeLegSigner.HeaderName));
        Assert.Equal((200, 200), (ok.StatusCode, byeOk.StatusCode));
        Assert.Contains("m=audio 4002", System.Text.Encoding.UTF8.GetString(ok.Body.Span), StringComparison.Ordinal);
        // One call in the log, answered by Ivan: node B relayed the leg and reported nothing of its own.
        await Eventually.TrueAsync(async () =>
        {
            await using var db = await cluster.A.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId);
            return await db.Calls.Select(c => c.AnsweredByEmployeeId).ToListAsync() is [var answeredBy] && answeredBy == ivan.EmployeeId;
        }, "one call answered by Ivan in the log", Patience);
    }

    [Fact]
    public async Task An_invite_with_a_forged_or_replayed_node_leg_is_refused_and_rings_nothing()
    {
        var (owner, _) = await cluster.A.SignUpAsync();
        var ivan = await cluster.A.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await cluster.A.IssueSipAccountAsync(ivan);
        using var phone = new RawSipPeer();
        using var outsider = new RawSipPeer();
        await RegisterOnBAsync(phone, user, password);
        var key = cluster.B.Get<LPTracker.Telephony.SipServer>().Locations.GetBindings(user).Single().ContactKey;
        // A token node A signed for another call: good key ring, wrong Call-ID.
        var replayed = cluster.A.Get<NodeLegSigner>().Sign(new NodeLeg(user, key, "another-call"));

        foreach (var token in (string[])["forged-token", replayed])
        {
            var request = outsider.Invite(user, cluster.B.SipUdp, callId: "outsider-" + Guid.NewGuid().ToString("N"))
                .Replace("CSeq: 1 INVITE", $"CSeq: 1 INVITE\r\n{NodeLegSigner.HeaderName}: {token}", StringComparison.Ordinal);
            await outsider.SendAsync(request, cluster.B.SipUdp);

            Assert.Equal(403, (await outsider.ExpectFinalAsync(timeout: Patience)).StatusCode);
        }

        Assert.Null(await phone.ReceiveAsync(m => m is SipRequest { Method: "INVITE" }, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task A_node_leg_rings_once_and_the_same_invite_sent_again_with_a_new_branch_is_refused()
    {
        var (owner, _) = await cluster.A.SignUpAsync();
        var ivan = await cluster.A.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await cluster.A.IssueSipAccountAsync(ivan);
        using var phone = new RawSipPeer();
        using var sender = new RawSipPeer();
        await RegisterOnBAsync(phone, user, password);
        var key = cluster.B.Get<LPTracker.Telephony.SipServer>().Locations.GetBindings(user).Single().ContactKey;
        var callId = "leg-" + Guid.NewGuid().ToString("N");
        // What node A sends node B (its key ring, this Call-ID); the copy is what someone who saw it on the wire sends.
        var token = cluster.A.Get<NodeLegSigner>().Sign(new NodeLeg(user, key, callId));
        string Leg(string branch) => sender.Invite(user, cluster.B.SipUdp, callId: callId, branch: branch)
            .Replace("CSeq: 1 INVITE", $"CSeq: 1 INVITE\r\n{NodeLegSigner.HeaderName}: {token}", StringComparison.Ordinal);

        await sender.SendAsync(Leg("first"), cluster.B.SipUdp);
        var rung = await phone.ExpectRequestAsync("INVITE", Patience);
        await phone.SendAsync(RawSipPeer.Answer(rung, 486, "Busy Here"), cluster.B.SipUdp);
        var busy = await sender.ExpectFinalAsync(timeout: Patience);
        await sender.SendAsync($"ACK sip:{user}@{cluster.B.SipUdp} SIP/2.0\r\nVia: SIP/2.0/UDP {sender.Local};branch=z9hG4bKfirst;rport\r\n" +
            $"Max-Forwards: 70\r\nFrom: {busy.GetHeader(SipHeaderNames.From)}\r\nTo: {busy.GetHeader(SipHeaderNames.To)}\r\n" +
            $"Call-ID: {callId}\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n", cluster.B.SipUdp);
        await sender.SendAsync(Leg("again"), cluster.B.SipUdp);
        var replay = await sender.ReceiveAsync(m => m is SipResponse { StatusCode: >= 200 } r
            && r.GetHeader(SipHeaderNames.Via)?.Contains("z9hG4bKagain", StringComparison.Ordinal) == true, Patience);

        Assert.Equal(403, (replay?.Message as SipResponse)?.StatusCode);
        // A retransmission of the first leg's INVITE may still arrive; a new leg would carry a Call-ID of its own.
        Assert.Null(await phone.ReceiveAsync(m => m is SipRequest { Method: "INVITE" } r && r.CallId != rung.CallId, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task A_phone_on_node_a_dialling_a_colleague_whose_phone_is_on_node_b_rings_it_there()
    {
        var (owner, _) = await cluster.A.SignUpAsync();
        var olga = await cluster.A.AddEmployeeAsync(owner, "olga");
        var ivan = await cluster.A.AddEmployeeAsync(owner, "ivan");
        var (olgaUser, olgaPassword) = await cluster.A.IssueSipAccountAsync(olga);
        var (ivanUser, ivanPassword) = await cluster.A.IssueSipAccountAsync(ivan);
        using var olgasPhone = new RawSipPeer();
        using var ivansPhone = new RawSipPeer();
        await RegisterOnBAsync(ivansPhone, ivanUser, ivanPassword);
        var callId = "internal-" + Guid.NewGuid().ToString("N");

        await olgasPhone.DialAsync(cluster.A.SipUdp, ivanUser, olgaUser, olgaPassword, callId);
        var invite = await ivansPhone.ExpectRequestAsync("INVITE", Patience);
        await ivansPhone.SendAsync(RawSipPeer.Answer(invite, 200, "OK", body: Sdp), cluster.B.SipUdp);
        var ok = await olgasPhone.ExpectFinalAsync(timeout: Patience);
        await olgasPhone.SendAsync(olgasPhone.InDialog(ok, "ACK", 2, ""), cluster.A.SipUdp);
        await olgasPhone.SendAsync(olgasPhone.InDialog(ok, "BYE", 3, ""), cluster.A.SipUdp);
        var bye = await ivansPhone.ExpectRequestAsync("BYE", Patience);
        await ivansPhone.SendAsync(RawSipPeer.Answer(bye, 200, "OK"), cluster.B.SipUdp);

        Assert.Equal(olgaUser, invite.ParseFrom()!.Uri.User);
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal(200, (await olgasPhone.ExpectFinalAsync("BYE", Patience)).StatusCode);
    }

    /// <summary>REGISTER with digest from the raw phone to node B, once node B knows the user (issued on node A); waits
    /// until the binding is stored as node B's, where node A reads it at call time.</summary>
    private async Task RegisterOnBAsync(RawSipPeer phone, string user, string password)
    {
        var map = cluster.B.Get<SipCredentialMap>();
        await Eventually.TrueAsync(async () => await map.FindAsync(user, CancellationToken.None) is not null, "the user known on node B", Patience);
        var contact = $"<sip:{user}@{phone.Local}>";
        await phone.SendAsync(SipRequests.Register(user, "127.0.0.1", contact, 1, expires: "300", viaSentBy: phone.Local.ToString()),
            cluster.B.SipUdp);
        var challenge = await phone.ExpectFinalAsync("REGISTER", Patience);
        var authorization = DigestTestClient.Authorization(challenge.GetHeader(SipHeaderNames.WwwAuthenticate)!, user, password, "REGISTER",
            "sip:127.0.0.1");
        await phone.SendAsync(SipRequests.Register(user, "127.0.0.1", contact, 2, expires: "300", authorization: authorization,
            viaSentBy: phone.Local.ToString()), cluster.B.SipUdp);
        Assert.Equal(200, (await phone.ExpectFinalAsync("REGISTER", Patience)).StatusCode);
        await Eventually.TrueAsync(async () =>
        {
            await using var db = await cluster.A.Get<IDbContextFactory<LptrackerDbContext>>().CreateDbContextAsync();
            return await db.SipBindings.IgnoreQueryFilters().AnyAsync(b => b.UserName == user && b.NodeId == "node-b");
        }, "the binding stored as node B's", Patience);
    }

    /// <summary>The employee Working in the account's first project, which owns a fresh number; returns the number.</summary>
    private async Task<string> WorkingWithNumberAsync(CallerContext owner, CallerContext employee)
    {
        var dialled = "+7812" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var db = await cluster.A.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId);
        var project = await db.Projects.OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
        db.Numbers.Add(new VirtualNumber { AccountId = owner.AccountId, E164 = dialled, ProjectId = project, CreatedUtc = DateTime.UtcNow });
        db.Memberships.Add(new ProjectMembership
        {
            AccountId = owner.AccountId, EmployeeId = employee.EmployeeId, ProjectId = project, HasAccess = true, TakesCalls = true,
        });
        await db.SaveChangesAsync();
        return dialled;
    }
}
