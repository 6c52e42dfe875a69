using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using MudBlazor;

namespace LPTracker.Web.Components.Shell;

/// <summary>
/// One entry of the side navigation: shown only to employees holding its common section, or its section of the
/// current project.
/// </summary>
public sealed record NavItem(
    string Href, string TitleKey, string Icon, CommonSections? Section, string? GroupKey = null, ProjectSections? ProjectSection = null);

/// <summary>The console's sections that exist, in navigation order.</summary>
public static class NavCatalog
{
    public static readonly IReadOnlyList<NavItem> Items =
    [
        new("/leads", "Nav.Leads", Icons.Material.Filled.FilterAlt, null, ProjectSection: ProjectSections.Leads),
        new("/deals", "Nav.Deals", Icons.Material.Filled.Handshake, null, ProjectSection: ProjectSections.Deals),
        new("/contacts", "Nav.Contacts", Icons.Material.Filled.Contacts, null, ProjectSection: ProjectSections.Contacts),
        new("/tasks", "Nav.Tasks", Icons.Material.Filled.TaskAlt, null, ProjectSection: ProjectSections.Tasks),
        new("/analytics", "Nav.Analytics", Icons.Material.Filled.Insights, null, ProjectSection: ProjectSections.Analytics),
        new("/settings/funnel", "Nav.Funnel", Icons.Material.Filled.Tune, null, ProjectSection: ProjectSections.ProjectSettings),
        new("/employees", "Nav.Employees", Icons.Material.Filled.People, CommonSections.Employees),
        new("/audit", "Nav.Audit", Icons.Material.Filled.History, CommonSections.Employees),

        // The people told about bans (AdminNotifications) are the ones who see and lift them (docs/decisions/0047).
        new("/employees/sip-bans", "Nav.SipBans", Icons.Material.Filled.Block, CommonSections.Employees),
        new("/pbx/numbers", "Nav.Numbers", Icons.Material.Filled.Dialpad, CommonSections.Telephony, "Nav.Pbx"),
        new("/pbx/strategy", "Nav.CallStrategy", Icons.Material.Filled.CallSplit, CommonSections.Telephony, "Nav.Pbx"),

        // Open to everyone: without the Telephony section the log lists only the employee's own calls.
        new("/calls", "Nav.Calls", Icons.Material.Filled.History, null, "Nav.Pbx"),
    ];

    /// <summary>The items the employee may open.</summary>
    public static IEnumerable<NavItem> VisibleTo(CallerProfile profile) =>
        Items.Where(i => (i.Section is not { } s || profile.Has(s)) && (i.ProjectSection is not { } p || profile.Has(p)));
}
