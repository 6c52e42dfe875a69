using LPTracker.Core.Audit;
using LPTracker.Core.Contacts;
using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Contacts;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Core.Import;
using LPTracker.Tests.Core.Leads;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Audit;

/// <summary>Contacts and leads in the audit log: created, changed, deleted, imported — and who may read those records.</summary>
public sealed class CrmAuditTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<List<AuditRecord>> RecordsAsync(CallerContext viewer) =>
        [.. (await _host.Get<AuditLogService>().SearchAsync(viewer, new AuditFilter(), 0, 200)).Value!.Rows];

    [Fact]
    public async Task Creating_changing_and_deleting_a_lead_and_a_contact_are_audited_with_their_project()
    {
        var project = await _host.FirstProjectAsync(_owner);
        var contact = await _host.AddContactAsync(_owner, "Анна", "+79001112233");
        var lead = await _host.AddLeadAsync(_owner, "Окна");
        await _host.EditLeadAsync(_owner, lead, f => f.Title = "Двери");

        Assert.True((await _host.Get<DeleteLead>().DeleteAsync(_owner, lead)).Succeeded);
        Assert.True((await _host.Get<DeleteContact>().DeleteAsync(_owner, contact)).Succeeded);

        var crm = (await RecordsAsync(_owner)).Where(r => r.ProjectId is not null).OrderBy(r => r.Id).ToList();
        Assert.Equal(
            [AuditAction.ContactCreated, AuditAction.LeadCreated, AuditAction.LeadUpdated, AuditAction.LeadDeleted, AuditAction.ContactDeleted],
            crm.Select(r => r.Action));
        Assert.All(crm, r => Assert.Equal(project, r.ProjectId));
        Assert.Equal(["Анна", "Окна", "Двери", "Двери", "Анна"], crm.Select(r => r.Subject));
        Assert.Contains(new AuditChange("Title", "Окна", "Двери"), crm[2].Changes);
    }

    [Fact]
    public async Task An_import_is_one_record_with_its_counts_not_one_per_row()
    {
        var report = (await _host.ImportAsync(_owner, "Имя;Телефон\nА;+79001112201\nБ;+79001112202\nВ;+79001112203\n")).Value!;

        Assert.True(report.Written);
        var crm = (await RecordsAsync(_owner)).Where(r => r.ProjectId is not null).ToList();
        var import = Assert.Single(crm);
        Assert.Equal(AuditAction.ContactsImported, import.Action);
        Assert.Contains(new AuditChange("Created", null, "3"), import.Changes);
    }

    [Fact]
    public async Task An_administrator_reads_crm_records_only_of_the_sections_it_holds_in_their_project()
    {
        var admin = await _host.AddEmployeeAsync(_owner, "admin");
        await _host.SetRightsAsync(admin, CommonSections.Employees, EmployeePermissions.None, ProjectSections.Leads);
        await _host.AddContactAsync(_owner, "Анна", "+79001112233");
        await _host.AddLeadAsync(_owner, "Окна");

        var seen = await RecordsAsync(admin);

        Assert.Contains(seen, r => r.Action == AuditAction.LeadCreated);
        Assert.DoesNotContain(seen, r => r.Action == AuditAction.ContactCreated);
    }
}
