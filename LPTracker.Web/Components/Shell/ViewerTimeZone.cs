using Microsoft.JSInterop;

namespace LPTracker.Web.Components.Shell;

/// <summary>The viewer's time zone (the browser's IANA zone), so pages show times in the viewer's local time.</summary>
public static class ViewerTimeZone
{
    /// <summary>The zone, or null when the browser does not say (prerendering, a closed circuit, an unknown id).</summary>
    public static async Task<TimeZoneInfo?> GetAsync(IJSRuntime js)
    {
        try
        {
            await using var module = await js.InvokeAsync<IJSObjectReference>("import", "./Components/Pages/Employees/EmployeeList.razor.js");
            var id = module is null ? null : await module.InvokeAsync<string?>("timeZone");
            return id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or InvalidOperationException or TaskCanceledException)
        {
            return null;
        }
    }
}
