using LPTracker.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace LPTracker.Web.Hubs;

/// <summary>
/// Live telephony events for clients that are not Blazor circuits (wall boards, softphone integrations,
/// scripts). Signed-in users only. Each connection joins its employee's group (incoming calls); presence and call
/// state only when its rights allow (<see cref="HubAudience"/>), kept in step by <see cref="HubConnections"/>.
/// </summary>
[Authorize]
public sealed class TelephonyHub(HubConnections connections) : Hub
{
    public const string Path = "/hubs/telephony";

    /// <summary>The client method that receives <see cref="SipStatusEvent"/>s.</summary>
    public const string SipStatusMethod = "sipStatus";

    /// <summary>Connections that may open the Employees list of the account: presence and live call state.</summary>
    public static string PresenceGroup(int accountId) => $"presence-{accountId}";

    /// <summary>Connections that may edit employees: presence with device and address.</summary>
    public static string PresenceDetailsGroup(int accountId) => $"presence-details-{accountId}";

    /// <summary>Connections that may open the list but not edit employees: presence without device and address. A group
    /// of its own (not "presence except details"): with several nodes a node knows only its own connections.</summary>
    public static string PresenceBasicGroup(int accountId) => $"presence-basic-{accountId}";

    /// <summary>One employee's own connections: their incoming-call pop-ups.</summary>
    public static string EmployeeGroup(int employeeId) => $"employee-{employeeId}";

    public override async Task OnConnectedAsync()
    {
        if (!await connections.ConnectAsync(Context, Context.ConnectionAborted))
        {
            Context.Abort();
            return;
        }

        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Disconnected(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}

/// <summary>One SIP status change as the hub sends it.</summary>
public sealed record SipStatusEvent(int EmployeeId, string Status, DateTime? SinceUtc, string? Device, string? Address);
