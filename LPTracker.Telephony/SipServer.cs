using System.Net;
using LPTracker.Core.Calls;
using LPTracker.Telephony.Calls;
using LPTracker.Telephony.Calls.B2bua;
using LPTracker.Telephony.Calls.Trunks;
using LPTracker.Telephony.Registrar;
using LPTracker.Telephony.Sip;
using LPTracker.Telephony.Sip.Auth;
using LPTracker.Telephony.Sip.Transactions;
using LPTracker.Telephony.Sip.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LPTracker.Telephony;

/// <summary>
/// The SIP registrar server: transports, transactions, digest authentication, registrar, location store, qualify
/// and presence, wired together. Usable without a host (tests, benchmark) and hosted by <c>AddTelephony</c>.
/// </summary>
public sealed class SipServer : IAsyncDisposable
{
    private readonly SipOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly InMemoryLocationStore _store;
    private readonly SipPresenceTracker _presence;
    private readonly ServerTransactionTable _serverTransactions;
    private readonly SipTransportLayer _transport;
    private readonly QualifyService _qualify;
    private readonly ISipUserDirectory _directory;
    private readonly ITimer _maintenance;
    private int _started;
    private volatile bool _running;

    /// <summary>Creates a server with explicit options (nothing is bound until <see cref="StartAsync"/>).</summary>
    public SipServer(SipOptions options, ISipUserDirectory directory, IBindingPersistence? persistence = null,
        TimeProvider? time = null, ILoggerFactory? loggerFactory = null, ICallDirectory? callDirectory = null,
        ICallEvents? callEvents = null, Cluster.ClusterCalls? cluster = null)
        : this(options, directory, persistence, time, loggerFactory, sender: null, callDirectory, callEvents, cluster)
    {
    }

    /// <summary>Creates a server whose outgoing messages go to <paramref name="sender"/> (tests without sockets).</summary>
    internal SipServer(SipOptions options, ISipUserDirectory directory, IBindingPersistence? persistence,
        TimeProvider? time, ILoggerFactory? loggerFactory, ISipSender? sender, ICallDirectory? callDirectory = null,
        ICallEvents? callEvents = null, Cluster.ClusterCalls? cluster = null)
    {
        _options = options;
        _directory = directory;
        _time = time ?? TimeProvider.System;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<SipServer>();
        Algorithms = DigestAlgorithmNames.ParseList(options.DigestAlgorithms);
        ListenEndpoints = (options.Listen.Length > 0 ? options.Listen : SipOptions.DefaultListen).Select(SipListenEndpoint.Parse).ToList();

        _store = new InMemoryLocationStore(persistence ?? new NullBindingPersistence(), _time,
            loggerFactory.CreateLogger<InMemoryLocationStore>());
        _presence = new SipPresenceTracker(_store, _time, loggerFactory.CreateLogger<SipPresenceTracker>());
        _transport = new SipTransportLayer(options, _time, loggerFactory.CreateLogger<SipTransportLayer>());
        _serverTransactions = new ServerTransactionTable(_time, options.T1);
        ClientTransactions = new ClientTransactionTable(sender ?? _transport, _time, options.T1, options.T2);
        var secret = string.IsNullOrWhiteSpace(options.NonceSecret) ? null : Convert.FromBase64String(options.NonceSecret);
        var nonces = new NonceService(secret, options.NonceLifetime, _time);
        var nonceCounts = new NonceCountTracker(options.MaxTrackedNonces, nonces.FirstSequence);
        Bans = new FailureBanList(options.Ban, _time, loggerFactory.CreateLogger<FailureBanList>());
        var authenticator = new DigestAuthenticator(options.EffectiveRealm, Algorithms, nonces, nonceCounts, directory);
        var registrar = new SipRegistrar(options, authenticator, Bans, _store, loggerFactory.CreateLogger<SipRegistrar>());
        Calls = CreateCallRouter(options, sender ?? _transport, directory, authenticator, callDirectory, callEvents, cluster, loggerFactory);
        Processor = new SipMessageProcessor(_serverTransactions, ClientTransactions, registrar, Bans, sender ?? _transport,
            loggerFactory.CreateLogger<SipMessageProcessor>(), Calls);
        _qualify = new QualifyService(options, _store, ClientTransactions, _time, loggerFactory.CreateLogger<QualifyService>());
        _maintenance = _time.CreateTimer(_ => Maintain(), null, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
    }

    /// <summary>The B2BUA: calls from trunks and phones, click-to-call.</summary>
    public CallRouter Calls { get; }

    /// <summary>The location store (bindings).</summary>
    public ILocationStore Locations => _store;

    /// <summary>The presence feed.</summary>
    public ISipPresenceFeed Presence => _presence;

    /// <summary>The offered digest algorithms, in order.</summary>
    public IReadOnlyList<DigestAlgorithm> Algorithms { get; }

    /// <summary>The configured listen endpoints.</summary>
    public IReadOnlyList<SipListenEndpoint> ListenEndpoints { get; }

    /// <summary>The endpoints actually bound (after start).</summary>
    public IReadOnlyList<SipBoundEndpoint> BoundEndpoints => _transport.BoundEndpoints;

    /// <summary>Open TCP connections, accepted and opened by us (to <c>tcp</c> trunks).</summary>
    public int TcpConnections => _transport.ConnectionCount;

    /// <summary>True once the listeners are up.</summary>
    public bool IsRunning => _running;

    /// <summary>The failure ban list.</summary>
    public FailureBanList Bans { get; }

    /// <summary>The message pipeline (tests feed bytes into it directly).</summary>
    public SipMessageProcessor Processor { get; }

    /// <summary>Client transactions (OPTIONS qualify).</summary>
    public ClientTransactionTable ClientTransactions { get; }

    /// <summary>The qualify service.</summary>
    public QualifyService Qualify => _qualify;

    /// <summary>Server transactions (retransmission absorption).</summary>
    public ServerTransactionTable ServerTransactions => _serverTransactions;

    /// <summary>The bound endpoint of a transport (first match), for tests and tools.</summary>
    public IPEndPoint GetEndPoint(SipTransportKind transport) =>
        BoundEndpoints.First(b => b.Transport == transport).EndPoint;

    /// <summary>Loads the SIP users and persisted bindings, binds the listeners and starts qualify.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return;
        }

        await _directory.LoadAsync(cancellationToken).ConfigureAwait(false);
        await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
        var warmUp = System.Diagnostics.Stopwatch.StartNew();
        if (await Hosting.SipWarmUp.RunOnceAsync(_options, cancellationToken).ConfigureAwait(false) is > 0 and var warmed)
        {
            _logger.LogInformation("SIP path warmed up with {Count} registrations in {Elapsed} ms", warmed, warmUp.ElapsedMilliseconds);
        }

        _transport.Start(ListenEndpoints, Processor.ProcessAsync, id => _store.ConnectionClosedAsync(id, CancellationToken.None));
        _qualify.Start();
        _running = true;
        _logger.LogInformation("SIP server started for domain {Domain}, digest {Algorithms}", _options.Domain,
            string.Join(",", Algorithms.Select(a => a.ToToken())));
    }

    /// <summary>Stops listening.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 0) == 0)
        {
            return;
        }

        _running = false;
        _qualify.Stop();
        await _transport.DisposeAsync().ConfigureAwait(false);
        // No REGISTER arrives any more: the expiries refreshes moved without a write go to the database now.
        await _store.PersistLaggingAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _maintenance.Dispose();
        _qualify.Dispose();
        _serverTransactions.Dispose();
        _presence.Dispose();
        _store.Dispose();
    }

    private CallRouter CreateCallRouter(SipOptions options, ISipSender sender, ISipUserDirectory users, DigestAuthenticator authenticator,
        ICallDirectory? callDirectory, ICallEvents? callEvents, Cluster.ClusterCalls? cluster, ILoggerFactory loggerFactory)
    {
        var timers = new SipTimers(options.T1, options.T2, options.T4);
        var invites = new InviteTransactionTable(sender, _time, timers, options.MaxCalls);
        var environment = new CallEnvironment(options, sender, invites, ClientTransactions, _time, callEvents ?? new NullCallEvents(),
            new TrunkTable(options.Trunks), () => _transport.BoundEndpoints, loggerFactory.CreateLogger<CallRouter>()) { Cluster = cluster };
        return new CallRouter(environment, _serverTransactions, callDirectory ?? new EmptyCallDirectory(), users, authenticator, Bans, _store);
    }

    private void Maintain()
    {
        Bans.Sweep(_time.GetUtcNow());
        // Under load the thread pool's threads grow glibc arenas that keep their freed pages: 15 of 30 MB were free at
        // the end of a minute at 10,000/s (bench/README.md, "Start-up memory, session 10"). A trim takes milliseconds.
        Hosting.NativeHeap.Trim();
    }
}
