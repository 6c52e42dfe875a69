using System.Net;
using System.Threading.Channels;
using LPTracker.Core.Cluster;
using LPTracker.Core.Persistence;
using LPTracker.Telephony.Registrar;
using LPTracker.Telephony.Sip.Transport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using CoreBinding = LPTracker.Core.Telephony.SipBinding;

namespace LPTracker.Telephony.Integration;

/// <summary>
/// Keeps the registrar's bindings in the database so a restart keeps phones Online until their registrations expire.
/// Writes are behind, off the REGISTER path: the newest binding list per user is queued (repeated refreshes of one
/// user coalesce into one entry) and flushed in one transaction a few times a second, so a registration storm costs one
/// write per batch, not one per REGISTER; rows go in as multi-row inserts (<see cref="BulkInsert"/>), and a
/// refresh that only moves an expiry a little is not queued at all (<see cref="BindingDurability"/>). A batch that fails to write goes back into the queue (newer lists queued
/// meanwhile win) and is retried with exponential back-off up to <see cref="MaxBackoff"/>, so nothing is lost while the
/// database is briefly locked or unavailable. With several nodes each row names the node holding the phone's flow, and a
/// node loads and replaces only its own rows (a user may have phones on two nodes).
/// </summary>
public sealed class DbBindingPersistence : IBindingPersistence, IAsyncDisposable
{
    private readonly IDbContextFactory<LptrackerDbContext> _dbFactory;
    private readonly ILogger<DbBindingPersistence> _logger;
    private readonly NodeIdentity _node;
    private readonly Dictionary<string, IReadOnlyList<SipBinding>> _pending = new(StringComparer.Ordinal);
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writer;
    private int _disposed;

    public DbBindingPersistence(IDbContextFactory<LptrackerDbContext> dbFactory, ILogger<DbBindingPersistence> logger, NodeIdentity node)
    {
        _dbFactory = dbFactory;
        _logger = logger;
        _node = node;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>How long the writer waits to batch changes.</summary>
    public static TimeSpan BatchDelay { get; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between retries of a failing write.</summary>
    public static TimeSpan MaxBackoff { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Number of users whose bindings wait to be written.</summary>
    public int PendingCount
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>How many times <see cref="LoadAsync"/> runs the writer's statements in a transaction it rolls back:
    /// past the tiered JIT's 30 calls, so the registrar's warm-up (decision 0079) waits for their optimised code too.</summary>
    internal const int WarmUpWrites = 40;

    /// <summary>Loads the stored bindings, then warms the writer up (see <see cref="WarmUpWriterAsync"/>).</summary>
    public async ValueTask<IReadOnlyList<SipBinding>> LoadAsync(CancellationToken cancellationToken)
    {
        List<CoreBinding> rows;
        await using (var db = await _dbFactory.CreateDbContextAsync(cancellationToken))
        {
            rows = await Rows(db).AsNoTracking().ToListAsync(cancellationToken);
        }

        try
        {
            await WarmUpWriterAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            // Only time is lost: the first real batch pays for what the warm-up would have compiled.
            _logger.LogWarning(ex, "Could not warm up the SIP bindings writer");
        }

        return rows.Select(ToTelephony).OfType<SipBinding>().ToList();
    }

    /// <summary>
    /// Runs the writer's statements (delete, owners, multi-row insert) <see cref="WarmUpWrites"/> times for one existing
    /// SIP account in a transaction that is rolled back: nothing is changed. Right after a restart the first batches of a
    /// registration storm otherwise paid for EF's query compilation and the JIT of this path (first tier, then the
    /// optimised recompile) on the same cores as the SIP threads (bench/README.md, decision 0080).
    /// </summary>
    private async Task WarmUpWriterAsync(CancellationToken cancellationToken)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.SipAccounts.IgnoreQueryFilters().OrderBy(s => s.EmployeeId)
                .Select(s => new { s.UserName, s.EmployeeId, s.AccountId }).FirstOrDefaultAsync(cancellationToken) is not { } owner)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var binding = new SipBinding
        {
            UserName = owner.UserName, ContactUri = $"sip:{owner.UserName}@127.0.0.1:9", CallId = "warm-up", CSeq = 1,
            RegisteredAt = now, UpdatedAt = now, ExpiresAt = now.AddMinutes(1), RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 9),
            EmployeeId = owner.EmployeeId, AccountId = owner.AccountId,
        };
        var batch = new Dictionary<string, IReadOnlyList<SipBinding>>(StringComparer.Ordinal) { [owner.UserName] = [binding] };
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        for (var i = 0; i < WarmUpWrites; i++)
        {
            await WriteRowsAsync(db, batch, cancellationToken);
        }

        await tx.RollbackAsync(cancellationToken);
    }

    public ValueTask SaveAsync(string userName, IReadOnlyList<SipBinding> bindings, CancellationToken cancellationToken)
    {
        lock (_pending)
        {
            _pending[userName] = bindings;
        }

        _signal.Writer.TryWrite(true);
        return ValueTask.CompletedTask;
    }

    /// <summary>Writes everything queued now (used at shutdown and by tests).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        Dictionary<string, IReadOnlyList<SipBinding>> batch;
        lock (_pending)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            batch = new Dictionary<string, IReadOnlyList<SipBinding>>(_pending, StringComparer.Ordinal);
            _pending.Clear();
        }

        try
        {
            await WriteAsync(batch, cancellationToken);
        }
        catch
        {
            lock (_pending)
            {
                foreach (var (user, bindings) in batch)
                {
                    // A list queued while this batch was being written is newer: it wins.
                    _pending.TryAdd(user, bindings);
                }
            }

            throw;
        }
    }

    private async Task WriteAsync(Dictionary<string, IReadOnlyList<SipBinding>> batch, CancellationToken cancellationToken)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await WriteRowsAsync(db, batch, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>Replaces the batch's users' rows of this node, inside the caller's transaction.</summary>
    private async Task WriteRowsAsync(LptrackerDbContext db, Dictionary<string, IReadOnlyList<SipBinding>> batch, CancellationToken cancellationToken)
    {
        var users = batch.Keys.ToList();
        // Rows written before bindings named nodes (NodeId null) go with this node's: nobody else would ever replace them.
        var me = _node.Id;
        // The user list is one parameter (a JSON array on SQLite, an array on PostgreSQL), not EF 10's default of one
        // parameter per user: a storm's batch of 1,600 users was then a new SQL text per batch size (generated and
        // prepared under the storm, past the warm-up's) whose 1,600 parameters SQLite's driver binds by name, each a
        // linear scan of the statement's names (bench/README.md, "Cold path, session 8"; decision 0086).
        await db.SipBindings.IgnoreQueryFilters().Where(b => EF.Parameter(users).Contains(b.UserName))
            .Where(b => !_node.Clustered || b.NodeId == me || b.NodeId == null)
            .ExecuteDeleteAsync(cancellationToken);
        var owners = await db.SipAccounts.IgnoreQueryFilters().Where(s => EF.Parameter(users).Contains(s.UserName))
            .Select(s => s.UserName).ToListAsync(cancellationToken);
        // A binding of a SIP account deleted meanwhile is not written back (the FK would refuse it anyway).
        await BulkInsert.InsertAsync(db, owners.SelectMany(user => batch[user]).Select(ToCore).ToList(), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        // Registered under two service types, so the container may dispose it twice.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        _signal.Writer.TryComplete();
        try
        {
            await _writer;
        }
        catch (OperationCanceledException)
        {
            // Stopping. The last batch was flushed when the host stopped (see TelephonyStoreExtensions).
        }

        _stop.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var delay = BatchDelay;
        while (await _signal.Reader.WaitToReadAsync(_stop.Token))
        {
            _signal.Reader.TryRead(out _);
            await Task.Delay(delay, _stop.Token);
            try
            {
                await FlushAsync(_stop.Token);
                delay = BatchDelay;
            }
            catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
            {
                delay = delay * 2 > MaxBackoff ? MaxBackoff : delay * 2;
                _logger.LogWarning(ex, "Could not persist SIP bindings of {Users} users; retrying in {Delay}", PendingCount, delay);
                _signal.Writer.TryWrite(true);
            }
        }
    }

    /// <summary>The rows to load: all of them on a single node (as before bindings named nodes), else those it holds.</summary>
    private IQueryable<CoreBinding> Rows(LptrackerDbContext db)
    {
        var rows = db.SipBindings.IgnoreQueryFilters();
        var me = _node.Id;
        return _node.Clustered ? rows.Where(b => b.NodeId == me) : rows;
    }

    private CoreBinding ToCore(SipBinding b) => new()
    {
        NodeId = _node.Id,
        UserName = b.UserName,
        EmployeeId = (int)b.EmployeeId,
        AccountId = b.AccountId,
        ContactUri = b.ContactUri,
        CallId = b.CallId,
        CSeq = b.CSeq,
        ExpiresUtc = b.ExpiresAt.UtcDateTime,
        RegisteredUtc = b.RegisteredAt.UtcDateTime,
        UserAgent = b.UserAgent,
        RemoteEndPoint = $"{b.Transport.ToConfigName()}:{b.RemoteEndPoint}",
        Q = b.Q,
        InstanceId = b.InstanceId,
        RegId = b.RegId,
    };

    /// <summary>A stored row as the registrar's binding; null when its address cannot be read.</summary>
    internal static SipBinding? ToTelephony(CoreBinding row)
    {
        var colon = row.RemoteEndPoint.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !IPEndPoint.TryParse(row.RemoteEndPoint[(colon + 1)..], out var remote))
        {
            return null;
        }

        var registered = new DateTimeOffset(DateTime.SpecifyKind(row.RegisteredUtc, DateTimeKind.Utc));
        return new SipBinding
        {
            UserName = row.UserName,
            ContactUri = row.ContactUri,
            CallId = row.CallId,
            CSeq = (uint)row.CSeq,
            RegisteredAt = registered,
            UpdatedAt = registered,
            ExpiresAt = new DateTimeOffset(DateTime.SpecifyKind(row.ExpiresUtc, DateTimeKind.Utc)),
            UserAgent = row.UserAgent,
            Transport = SipTransportNames.FromConfigName(row.RemoteEndPoint.Split(':', 2)[0]) ?? SipTransportKind.Udp,
            RemoteEndPoint = remote,
            EmployeeId = row.EmployeeId,
            AccountId = row.AccountId,
            Q = row.Q,
            InstanceId = row.InstanceId,
            RegId = row.RegId,
        };
    }
}
