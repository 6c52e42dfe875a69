using System.Collections.Concurrent;
using LPTracker.Core.Accounts;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Web.Auth;
using Microsoft.AspNetCore.SignalR;

namespace LPTracker.Web.Hubs;

/// <summary>Which of an account's hub groups a connection belongs in.</summary>
/// <param name="Presence">May open the Employees list: presence and live call state.</param>
/// <param name="Details">May edit employees: presence with device and address.</param>
public readonly record struct HubAudience(bool Presence, bool Details)
{
    /// <summary>
    /// Both come from the Employees section today (it opens the list and the editor alike); they are separate so
    /// that a view-only right, when it comes, changes this one line.
    /// </summary>
    public static HubAudience Of(CallerProfile? profile) => profile is null
        ? default
        : new HubAudience(profile.Has(CommonSections.Employees), profile.Has(CommonSections.Employees));
}

/// <summary>
/// Every open <c>/hubs/telephony</c> connection by employee, so that a connection outlives neither its session (a
/// deleted employee, a new password, a sign-out: aborted) nor its rights (groups follow them). Revalidated when the
/// employee changes and every <see cref="RevalidationInterval"/>, the schedule circuits have.
/// </summary>
public sealed class HubConnections(
    SignInService signIn,
    AccessService access,
    IHubContext<TelephonyHub> hub,
    ILogger<HubConnections> logger)
{
    /// <summary>The same interval as <see cref="RevalidatingAuthStateProvider"/>.</summary>
    public static readonly TimeSpan RevalidationInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _entries = new();

    /// <summary>Registers a new connection and puts it in its groups; false when its session is no longer valid.</summary>
    public async Task<bool> ConnectAsync(HubCallerContext context, CancellationToken ct = default)
    {
        var stamp = context.User?.FindFirst(Claims.Stamp)?.Value;
        if (Claims.Caller(context.User) is not { } caller || !await signIn.IsSessionValidAsync(caller.EmployeeId, stamp, ct))
        {
            return false;
        }

        var entry = new Entry(context, caller, stamp!);
        _entries[context.ConnectionId] = entry;
        await hub.Groups.AddToGroupAsync(context.ConnectionId, TelephonyHub.EmployeeGroup(caller.EmployeeId), ct);
        await ApplyAsync(entry, ct);
        return true;
    }

    public void Disconnected(string connectionId) => _entries.TryRemove(connectionId, out _);

    /// <summary>Number of open connections of an employee (tests, diagnostics).</summary>
    public int ConnectionCount(int employeeId) => _entries.Values.Count(e => e.Caller.EmployeeId == employeeId);

    /// <summary>Closes the employee's connections at once (deleted, signed out).</summary>
    public void Close(int employeeId)
    {
        foreach (var entry in _entries.Values.Where(e => e.Caller.EmployeeId == employeeId))
        {
            Abort(entry);
        }
    }

    /// <summary>Re-checks the session and rights of one employee's connections (after the employee was saved).</summary>
    public Task RevalidateAsync(int employeeId, CancellationToken ct = default) =>
        RevalidateAsync(_entries.Values.Where(e => e.Caller.EmployeeId == employeeId).ToList(), ct);

    /// <summary>Re-checks every connection; the periodic pass.</summary>
    public Task RevalidateAllAsync(CancellationToken ct = default) => RevalidateAsync(_entries.Values.ToList(), ct);

    private async Task RevalidateAsync(IReadOnlyList<Entry> entries, CancellationToken ct)
    {
        foreach (var entry in entries)
        {
            try
            {
                if (!await signIn.IsSessionValidAsync(entry.Caller.EmployeeId, entry.Stamp, ct))
                {
                    Abort(entry);
                    continue;
                }

                await ApplyAsync(entry, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                logger.LogWarning(ex, "Could not revalidate hub connection {Connection}", entry.Context.ConnectionId);
            }
        }
    }

    /// <summary>Moves the connection into the groups its current rights allow, and out of the others.</summary>
    private async Task ApplyAsync(Entry entry, CancellationToken ct)
    {
        await entry.Gate.WaitAsync(ct);
        try
        {
            var wanted = HubAudience.Of(await access.GetProfileAsync(entry.Caller, ct));
            var id = entry.Context.ConnectionId;
            var account = entry.Caller.AccountId;
            await SetAsync(id, TelephonyHub.PresenceGroup(account), entry.Audience.Presence, wanted.Presence, ct);
            await SetAsync(id, TelephonyHub.PresenceDetailsGroup(account), entry.Audience.Details, wanted.Details, ct);
            await SetAsync(id, TelephonyHub.PresenceBasicGroup(account), entry.Audience is { Presence: true, Details: false },
                wanted is { Presence: true, Details: false }, ct);
            entry.Audience = wanted;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    private async Task SetAsync(string connectionId, string group, bool was, bool now, CancellationToken ct)
    {
        if (now && !was)
        {
            await hub.Groups.AddToGroupAsync(connectionId, group, ct);
        }
        else if (was && !now)
        {
            await hub.Groups.RemoveFromGroupAsync(connectionId, group, ct);
        }
    }

    private void Abort(Entry entry)
    {
        _entries.TryRemove(entry.Context.ConnectionId, out _);
        entry.Context.Abort();
    }

    private sealed class Entry(HubCallerContext context, CallerContext caller, string stamp)
    {
        public HubCallerContext Context { get; } = context;

        public CallerContext Caller { get; } = caller;

        public string Stamp { get; } = stamp;

        public HubAudience Audience { get; set; }

        public SemaphoreSlim Gate { get; } = new(1, 1);
    }
}
