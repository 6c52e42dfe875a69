using LPTracker.Core.Telephony;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LPTracker.Web.Components.Employees.List;

/// <summary>
/// What the list's cells show, for the page's plain-HTML cell templates. The cells are markup with MudBlazor's CSS
/// classes rather than MudBlazor components: a component per cell (avatar, chip, switch, menu) costs its state,
/// parameters and render tree in every open circuit, 25 rows at a time.
/// </summary>
public static class ListCells
{
    /// <summary>"ИП" for "Иван Петров": the avatar when there is no photo.</summary>
    public static string Initials(string name)
    {
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length switch
        {
            0 => "?",
            1 => parts[0][..1].ToUpperInvariant(),
            _ => string.Concat(parts[0][..1], parts[1][..1]).ToUpperInvariant(),
        };
    }

    /// <summary>MudChip's classes for the SIP status.</summary>
    public static string ChipClass(SipStatus status) => status switch
    {
        SipStatus.Online => "mud-chip mud-chip-text mud-chip-size-small mud-chip-color-success",
        SipStatus.Disconnected => "mud-chip mud-chip-text mud-chip-size-small mud-chip-color-warning",
        _ => "mud-chip mud-chip-text mud-chip-size-small mud-chip-color-default",
    };

    /// <summary>The SVG content of the SIP status icon.</summary>
    public static string ChipIcon(SipStatus status) => status switch
    {
        SipStatus.Online => Icons.Material.Filled.PhoneEnabled,
        SipStatus.Disconnected => Icons.Material.Filled.PhoneDisabled,
        _ => Icons.Material.Outlined.PhoneMissed,
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(SipStatus, string), string> Chips = new();

    /// <summary>The gear of a row's actions menu, as one markup string shared by every row.</summary>
    public static readonly string GearIcon =
        $"<svg class=\"mud-icon-root mud-svg-icon mud-icon-size-small\" focusable=\"false\" viewBox=\"0 0 24 24\" aria-hidden=\"true\">{Icons.Material.Filled.Settings}</svg>";

    /// <summary>
    /// The whole SIP chip as one markup string, shared by every row with the same status and label: one render frame
    /// instead of a dozen per row (each open list keeps two copies of its rows' frames), and no string per row.
    /// </summary>
    public static string Chip(SipStatus status, string label) => Chips.GetOrAdd((status, label), static key =>
        $"<span class=\"mud-chip-container\"><span class=\"{ChipClass(key.Item1)}\" data-testid=\"sip-status\" data-status=\"{key.Item1}\">" +
        $"<svg class=\"mud-icon-root mud-svg-icon mud-icon-size-small mud-chip-icon\" focusable=\"false\" viewBox=\"0 0 24 24\" aria-hidden=\"true\">{ChipIcon(key.Item1)}</svg>" +
        $"<span class=\"mud-chip-content\">{System.Net.WebUtility.HtmlEncode(key.Item2)}</span></span></span>");

    /// <summary>The SIP chip's hint: since (in the viewer's time zone), device and address; null when none is known.</summary>
    public static string? SipHint(SipPresence presence, Func<DateTime, string> formatTime, IStringLocalizer l)
    {
        var lines = new List<string>(3);
        if (presence.SinceUtc is { } since)
        {
            lines.Add(l["EmployeeList.Sip.Since", formatTime(since)]);
        }

        if (!string.IsNullOrEmpty(presence.Device))
        {
            lines.Add(l["EmployeeList.Sip.Device", presence.Device]);
        }

        if (!string.IsNullOrEmpty(presence.Address))
        {
            lines.Add(l["EmployeeList.Sip.Address", presence.Address]);
        }

        // One line per contact under the summary (a title attribute shows line breaks). The list is open only to
        // Employees-section holders, the hub's details audience (HubAudience); the contact carries no SIP user name.
        var contacts = presence.Contacts?.Select(c => ContactLine(c, formatTime, l)) ?? [];
        var text = string.Join("\n", new[] { string.Join(" · ", lines) }.Concat(contacts).Where(t => t.Length > 0));
        return text.Length == 0 ? null : text;
    }

    /// <summary>"192.0.2.10:5060 (UDP): на связи, проверка …, 23 мс" — what the last qualify ping learned.</summary>
    public static string ContactLine(SipContactReach contact, Func<DateTime, string> formatTime, IStringLocalizer l)
    {
        var state = contact switch
        {
            { Answers: true, LastQualifiedUtc: { } at, RoundTripMs: { } rtt } =>
                l["EmployeeList.Sip.Reach.Answers", formatTime(at), Math.Round(rtt, rtt < 10 ? 1 : 0)].Value,
            { Answers: false, LastQualifiedUtc: { } at } => l["EmployeeList.Sip.Reach.LostSince", contact.MissedPings, formatTime(at)].Value,
            { Answers: false } => l["EmployeeList.Sip.Reach.Never", contact.MissedPings].Value,
            _ => l["EmployeeList.Sip.Reach.NotYet"].Value,
        };
        return l["EmployeeList.Sip.Reach.Contact", contact.Contact, contact.Transport, state];
    }

    /// <summary>MudSwitch's classes for the switch's button, by state.</summary>
    public static string SwitchBaseClass(bool on, bool disabled) => (on, disabled) switch
    {
        (true, false) => "mud-button-root mud-icon-button mud-switch-base mud-ripple mud-ripple-switch mud-success-text hover:mud-success-hover mud-checked mud-switch-base-medium",
        (false, false) => "mud-button-root mud-icon-button mud-switch-base mud-ripple mud-ripple-switch mud-default-text hover:mud-default-hover mud-switch-base-medium",
        (true, true) => "mud-button-root mud-icon-button mud-switch-base mud-switch-disabled mud-checked mud-switch-base-medium",
        (false, true) => "mud-button-root mud-icon-button mud-switch-base mud-switch-disabled mud-switch-base-medium",
    };
}
