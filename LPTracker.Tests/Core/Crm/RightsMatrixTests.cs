using System.Globalization;
using LPTracker.Core.Contacts;
using LPTracker.Core.Crm;
using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Core.Tasks;
using LPTracker.Tests.Core.Contacts;
using LPTracker.Tests.Core.Leads;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Crm;

/// <summary>
/// Every CRM entry point × the section and permission it needs: refused without it (and a refused change changes
/// nothing), allowed with it. Each case takes away exactly one thing from an employee who otherwise holds everything.
/// </summary>
public sealed class RightsMatrixTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;
    private int _contactId;
    private int _leadId;
    private int _dealId;
    private int _projectId;

    public RightsMatrixTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

    private sealed record EntryPoint(ProjectSections Section, EmployeePermissions Permission, Func<RightsMatrixTests, CallerContext, Task<bool>> Act);

    private static readonly Dictionary<string, EntryPoint> EntryPoints = new()
    {
        ["contacts list"] = new(ProjectSections.Contacts, 0, async (t, c) => (await t.Get<ContactQueries>().ListAsync(c, new())).Succeeded),
        ["contacts search"] = new(ProjectSections.Contacts, 0, async (t, c) => (await t.Get<ContactQueries>().ListAsync(c, new("иван"))).Succeeded),
        ["contact card by id"] = new(ProjectSections.Contacts, 0, async (t, c) => (await t.Get<ContactQueries>().GetAsync(c, t._contactId)).Succeeded),
        ["contact edit"] = new(ProjectSections.Contacts, 0, async (t, c) => (await t.Get<SaveContact>().SaveAsync(c, await t.RenamedContactAsync())).Succeeded),
        ["contact delete"] = new(ProjectSections.Contacts, EmployeePermissions.DeleteData, async (t, c) => (await t.Get<DeleteContact>().DeleteAsync(c, t._contactId)).Succeeded),
        ["contacts export"] = new(ProjectSections.Contacts, EmployeePermissions.ExportData, async (t, c) => (await t.Get<CrmExport>().WriteContactsAsync(c, null, Stream.Null)).Succeeded),
        ["pop-up lookup"] = new(ProjectSections.Contacts, 0, async (t, c) => await t.Get<ContactLookup>().FindByPhoneAsync(c, "+78123893298", CancellationToken.None) is not null),
        ["leads list"] = new(ProjectSections.Leads, 0, async (t, c) => (await t.Get<LeadQueries>().ListAsync(c, new())).Succeeded),
        ["lead card by id"] = new(ProjectSections.Leads, 0, async (t, c) => (await t.Get<LeadQueries>().GetAsync(c, t._leadId)).Succeeded),
        ["lead edit"] = new(ProjectSections.Leads, 0, async (t, c) => (await t.Get<SaveLead>().SaveAsync(c, await t.RenamedLeadAsync())).Succeeded),
        ["lead delete"] = new(ProjectSections.Leads, EmployeePermissions.DeleteData, async (t, c) => (await t.Get<DeleteLead>().DeleteAsync(c, t._leadId)).Succeeded),
        ["leads export"] = new(ProjectSections.Leads, EmployeePermissions.ExportData, async (t, c) => (await t.Get<CrmExport>().WriteLeadsAsync(c, new(), Stream.Null)).Succeeded),
        ["deals list"] = new(ProjectSections.Deals, 0, async (t, c) => (await t.Get<LeadQueries>().ListAsync(c, new(LeadView.Deals))).Succeeded),
        ["deal card by id"] = new(ProjectSections.Deals, 0, async (t, c) => (await t.Get<LeadQueries>().GetAsync(c, t._dealId)).Succeeded),
        ["deals export"] = new(ProjectSections.Deals, EmployeePermissions.ExportData, async (t, c) => (await t.Get<CrmExport>().WriteLeadsAsync(c, new(LeadView.Deals), Stream.Null)).Succeeded),
        ["tasks list"] = new(ProjectSections.Tasks, 0, async (t, c) => (await t.Get<TaskQueries>().ListAsync(c, new())).Succeeded),
        ["task create"] = new(ProjectSections.Tasks, 0, async (t, c) => (await t.Get<SaveTask>().SaveAsync(c, new TaskForm { ProjectId = t._projectId, Title = "Т", DueUtc = DateTime.UtcNow })).Succeeded),
        ["funnel edit"] = new(ProjectSections.ProjectSettings, 0, async (t, c) => (await t.Get<FunnelStages>().SaveAsync(c, t._projectId, await t.StageFormsAsync())).Succeeded),
    };

    public static TheoryData<string> Names => new(EntryPoints.Keys);

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
        _projectId = await _host.FirstProjectAsync(_owner);
        _contactId = await _host.AddContactAsync(_owner, "Иван", "+78123893298");
        _leadId = await _host.AddLeadAsync(_owner, "Лид");
        _dealId = await _host.AddLeadAsync(_owner, "Сделка", stageId: (await _host.StagesAsync(_owner)).First(s => s.Kind == StageKind.Deal).Id);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Without_its_section_or_permission_an_entry_point_refuses_and_changes_nothing(string name)
    {
        var entry = EntryPoints[name];
        var sections = entry.Permission == 0 ? ProjectSections.All & ~entry.Section : ProjectSections.All;
        var employee = await _host.AddCrmEmployeeAsync(_owner, "denied", sections, EmployeePermissions.All & ~entry.Permission);
        var before = await SnapshotAsync();

        var allowed = await entry.Act(this, employee);

        Assert.False(allowed);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task With_its_section_and_permission_an_entry_point_answers(string name)
    {
        var employee = await _host.AddCrmEmployeeAsync(_owner, "allowed", ProjectSections.All, EmployeePermissions.All);

        Assert.True(await EntryPoints[name].Act(this, employee));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Another_accounts_employee_is_refused_everywhere(string name)
    {
        var stranger = await _host.SignUpAsync();
        var before = await SnapshotAsync();

        var allowed = name is "contacts list" or "contacts search" or "leads list" or "deals list" or "tasks list" or "task create"
            or "contacts export" or "leads export" or "deals export"
            ? await StrangerSeesNothingOfOursAsync(stranger)
            : await EntryPoints[name].Act(this, stranger);

        Assert.False(allowed);
        Assert.Equal(before, await SnapshotAsync());
    }

    private T Get<T>() where T : notnull => _host.Get<T>();

    // Lists of a stranger answer for the stranger's own project: what matters is that none of our rows is in them.
    private async Task<bool> StrangerSeesNothingOfOursAsync(CallerContext stranger) =>
        (await Get<ContactQueries>().ListAsync(stranger, new())).Value!.Total > 0
        || (await Get<LeadQueries>().ListAsync(stranger, new())).Value!.Total > 0
        || (await Get<LeadQueries>().ListAsync(stranger, new(LeadView.Deals))).Value!.Total > 0;

    private async Task<ContactForm> RenamedContactAsync()
    {
        var form = (await Get<ContactQueries>().GetAsync(_owner, _contactId)).Value!.ToForm();
        form.Name = "Изменён";
        return form;
    }

    private async Task<LeadForm> RenamedLeadAsync()
    {
        var form = (await Get<LeadQueries>().GetAsync(_owner, _leadId)).Value!.ToForm();
        form.Title = "Изменён";
        return form;
    }

    private async Task<List<StageForm>> StageFormsAsync() =>
        (await _host.StagesAsync(_owner)).Select(s => new StageForm { Id = s.Id, Name = s.Name + "!", Kind = s.Kind }).ToList();

    private async Task<string> SnapshotAsync()
    {
        var contact = await Get<ContactQueries>().GetAsync(_owner, _contactId);
        var lead = await Get<LeadQueries>().GetAsync(_owner, _leadId);
        var stages = await _host.StagesAsync(_owner);
        var tasks = (await Get<TaskQueries>().ListAsync(_owner, new(MineOnly: false, IncludeDone: true))).Value!.Total;
        return $"{contact.Value?.Name}|{lead.Value?.Title}|{string.Join(",", stages.Select(s => s.Name))}|{tasks}";
    }
}
