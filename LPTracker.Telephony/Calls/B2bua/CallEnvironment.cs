using System.Globalization;
using System.Net;
using LPTracker.Core.Calls;
using LPTracker.Telephony.Calls.Trunks;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transactions;
using LPTracker.Telephony.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Calls.B2bua;

/// <summary>What every call shares: transactions, the sender, timers, events, trunks and how we name ourselves.</summary>
internal sealed class CallEnvironment
{
    public CallEnvironment(SipOptions options, ISipSender sender, InviteTransactionTable invites, ClientTransactionTable requests,
        TimeProvider time, ICallEvents events, TrunkTable trunks, Func<IReadOnlyList<SipBoundEndpoint>> bound, ILogger logger)
    {
        Options = options;
        Sender = sender;
        Invites = invites;
        Requests = requests;
        Time = time;
        Events = events;
        Trunks = trunks;
        Bound = bound;
        Logger = logger;
    }

    /// <summary>Marks our own branches: an INVITE carrying it in a Via went through us already (the loop guard).</summary>
    public string LoopMark { get; private init; } = "lpt" + SipResponseFactory.NewTag()[..8];

    /// <summary>Several nodes: the other nodes' bindings and the signer of legs between nodes; null on one node.</summary>
    public Cluster.ClusterCalls? Cluster { get; init; }

    /// <summary>The same environment reporting nothing: a leg relayed for another node (that node reports the call).</summary>
    public CallEnvironment Silent => _silent ??= new CallEnvironment(Options, Sender, Invites, Requests, Time, new NullCallEvents(), Trunks,
        Bound, Logger) { LoopMark = LoopMark, Cluster = Cluster };

    private CallEnvironment? _silent;

    public SipOptions Options { get; }

    public ISipSender Sender { get; }

    public InviteTransactionTable Invites { get; }

    public ClientTransactionTable Requests { get; }

    public TimeProvider Time { get; }

    public ICallEvents Events { get; }

    public TrunkTable Trunks { get; }

    public Func<IReadOnlyList<SipBoundEndpoint>> Bound { get; }

    public ILogger Logger { get; }

    public DateTime UtcNow => Time.GetUtcNow().UtcDateTime;

    /// <summary>A branch that names us, so our own requests coming back are recognised (loop guard).</summary>
    public string NewBranch() => string.Concat("z9hG4bK", LoopMark, SipResponseFactory.NewTag());

    /// <summary>Our <c>host:port</c> on a flow, for Via and Contact.</summary>
    public string SentBy(SipFlow flow)
    {
        var host = Options.PublicHost ?? (flow.Local.Address.Equals(IPAddress.Any) || flow.Local.Address.Equals(IPAddress.IPv6Any)
            ? Options.Domain
            : flow.Local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{flow.Local.Address}]" : flow.Local.Address.ToString());
        return string.Create(CultureInfo.InvariantCulture, $"{host}:{flow.Local.Port}");
    }

    /// <summary>Our Contact on a flow: a SIPS URI on TLS (RFC 3261 §26.2.2: a request that came over TLS gets a secure
    /// Contact back), <c>transport=tcp</c> on TCP.</summary>
    public string Contact(SipFlow flow) => flow.Transport switch
    {
        SipTransportKind.Tls => $"<sips:pbx@{SentBy(flow)}>",
        SipTransportKind.Tcp => $"<sip:pbx@{SentBy(flow)};transport=tcp>",
        _ => $"<sip:pbx@{SentBy(flow)}>",
    };

    /// <summary>The flow to a trunk. UDP: out of our first UDP listener. TCP: the connection the carrier called on,
    /// else a flow without a connection id, which the transport sends over an open connection to the trunk or a new
    /// one it opens (our TCP listener's address goes in Via and Contact, so the carrier can reach us later).</summary>
    public SipFlow? TrunkFlow(SipTrunk trunk, SipFlow? inboundFlow)
    {
        if (inboundFlow is not null && inboundFlow.Remote.Equals(trunk.EndPoint))
        {
            return inboundFlow;
        }

        var family = trunk.EndPoint.AddressFamily;
        var local = Bound().Where(b => b.EndPoint.AddressFamily == family)
            .OrderBy(b => b.Transport == trunk.Transport ? 0 : 1)
            .FirstOrDefault();
        return local is null ? null : new SipFlow(trunk.Transport, local.EndPoint, trunk.EndPoint);
    }

    /// <summary>The flow to another node: out of our first UDP listener of its address family, or null without one.</summary>
    public SipFlow? NodeFlow(IPEndPoint node)
    {
        var local = Bound().FirstOrDefault(b => b.Transport == SipTransportKind.Udp && b.EndPoint.AddressFamily == node.AddressFamily);
        return local is null ? null : new SipFlow(SipTransportKind.Udp, local.EndPoint, node);
    }

    /// <summary>Sends a request outside any transaction (the ACK for a 2xx).</summary>
    public void SendRaw(SipFlow flow, IPEndPoint destination, SipMessage message) =>
        _ = Sender.SendAsync(flow, destination, SipMessageWriter.ToBytes(message), CancellationToken.None).AsTask();

    /// <summary>Reports an event, never letting a faulty listener break the call.</summary>
    public void Report(Action<ICallEvents> report)
    {
        try
        {
            report(Events);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "A call event listener threw");
        }
    }
}
