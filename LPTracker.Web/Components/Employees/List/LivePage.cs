using LPTracker.Core.Employees;
using LPTracker.Core.Telephony;

namespace LPTracker.Web.Components.Employees.List;

/// <summary>What applying presence changes to a <see cref="LivePage"/> changed.</summary>
[Flags]
public enum LivePageChange
{
    None = 0,

    /// <summary>The Online counter (only the counters need rendering).</summary>
    Counters = 1,

    /// <summary>A visible row's SIP chip or hint (the grid needs rendering).</summary>
    Row = 2,

    /// <summary>The change may be one presence cannot tell (a SIP account created): read the page again.</summary>
    Reload = 4,
}

/// <summary>
/// The loaded page of an Employees list, kept current by SIP presence changes between reloads, with no query: a
/// phone going on- or offline changes only its row's chip and hint (presence never moves a row: the list neither
/// sorts nor filters by it) and the Online counter. A change to anyone else — not on the page, not counted — is
/// dropped on the publisher's thread (<see cref="Touch"/>) and costs the circuit nothing.
/// </summary>
/// <remarks>
/// <see cref="Touch"/> runs on any thread; everything else on the circuit's (the renderer serialises it). A load
/// reads presence part-way through: a change applied while a load runs is applied again to the page the load
/// installs, so the page never keeps presence older than a change it was told about.
/// </remarks>
public sealed class LivePage(ISipPresenceSource presence)
{
    private readonly object _gate = new();
    private readonly Dictionary<int, SipPresence> _sip = [];
    private readonly HashSet<int> _online = [];
    private readonly HashSet<int> _appliedDuringLoad = [];
    private HashSet<int> _pending = [];
    private IReadOnlyList<EmployeeListRow> _rows = [];
    private volatile Known _known = Known.Nothing;
    private int _loads;

    /// <summary>The counters, with Online following presence since the load.</summary>
    public EmployeeListCounters Counters { get; private set; } = new(0, 0, 0);

    /// <summary>
    /// Notes a presence change of <paramref name="employeeId"/>; true when it concerns this page (a visible row or a
    /// counted employee, or a load is running) and <see cref="ApplyPending"/> should run. Any thread.
    /// </summary>
    public bool Touch(int employeeId)
    {
        var known = _known;
        if (Volatile.Read(ref _loads) == 0 && Array.BinarySearch(known.Rows, employeeId) < 0 && Array.BinarySearch(known.Counted, employeeId) < 0)
        {
            return false;
        }

        lock (_gate)
        {
            _pending.Add(employeeId);
        }

        return true;
    }

    /// <summary>A load starts (before it reads anything).</summary>
    public void BeginLoad() => Interlocked.Increment(ref _loads);

    /// <summary>A load ended; <paramref name="page"/> is what it read, null when it read nothing (failed, cancelled).</summary>
    public LivePageChange EndLoad(EmployeeListPage? page)
    {
        var running = Interlocked.Decrement(ref _loads);
        if (page is not null)
        {
            _rows = page.Rows;
            _sip.Clear();
            var counted = page.Counted ?? CountedEmployees.None;
            _online.Clear();
            _online.UnionWith(counted.Online);
            Counters = page.Counters;
            var rows = page.Rows.Select(r => r.Id).ToArray();
            Array.Sort(rows);
            _known = new Known(rows, counted.Ids);
        }

        var change = LivePageChange.None;
        if (page is not null)
        {
            // Changes applied to the previous page while this one was read: the read may predate them.
            foreach (var id in _appliedDuringLoad)
            {
                change |= Apply(id);
            }
        }

        if (running == 0)
        {
            _appliedDuringLoad.Clear();
        }

        return change;
    }

    /// <summary>Applies the changes noted since the last call, from presence as it is now.</summary>
    public LivePageChange ApplyPending()
    {
        HashSet<int> pending;
        lock (_gate)
        {
            (pending, _pending) = (_pending, []);
        }

        var change = LivePageChange.None;
        var loading = Volatile.Read(ref _loads) > 0;
        foreach (var id in pending)
        {
            change |= Apply(id);
            if (loading)
            {
                _appliedDuringLoad.Add(id);
            }
        }

        return change;
    }

    /// <summary>The presence the row's SIP cell shows.</summary>
    public SipPresence SipOf(EmployeeListRow row) => _sip.TryGetValue(row.Id, out var live) ? live : row.Sip;

    private LivePageChange Apply(int employeeId)
    {
        var known = _known;
        var change = LivePageChange.None;
        SipPresence? now = null;
        if (Array.BinarySearch(known.Rows, employeeId) >= 0 && _rows.FirstOrDefault(r => r.Id == employeeId) is { } row)
        {
            if (row.Sip.Status == SipStatus.NotCreated)
            {
                // The page read no SIP account: this change may be its creation, which presence does not tell.
                return LivePageChange.Reload;
            }

            now = presence.Get(employeeId);
            _sip[employeeId] = now;
            change |= LivePageChange.Row;
        }

        if (Array.BinarySearch(known.Counted, employeeId) >= 0)
        {
            var online = (now ?? presence.Get(employeeId)).Status == SipStatus.Online;
            if (online ? _online.Add(employeeId) : _online.Remove(employeeId))
            {
                Counters = Counters with { Online = _online.Count };
                change |= LivePageChange.Counters;
            }
        }

        return change;
    }

    /// <summary>The ids a change can concern, each in ascending order; replaced whole so other threads read one page's.</summary>
    private sealed record Known(int[] Rows, int[] Counted)
    {
        public static Known Nothing { get; } = new([], []);
    }
}
