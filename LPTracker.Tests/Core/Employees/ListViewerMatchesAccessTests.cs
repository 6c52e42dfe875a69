using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Projects;
using LPTracker.Core.Security;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Core.Employees;

/// <summary>
/// The list reads the viewer's rights and current project with its own compiled query for speed; these tests keep
/// it in step with <see cref="AccessService"/>, the rule everything else uses.
/// </summary>
public sealed class ListViewerMatchesAccessTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;

    public async Task InitializeAsync() => _host = await CoreTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task AssertSameViewAsync(CallerContext caller)
    {
        var profile = await _host.Get<AccessService>().GetProfileAsync(caller);
        var page = await _host.Get<EmployeeListService>().LoadAsync(caller, new EmployeeListQuery());

        Assert.Equal(profile is not null && profile.Has(CommonSections.Employees), page.Succeeded);
        if (page.Succeeded)
        {
            Assert.Equal(profile!.CurrentProject, page.Value!.Project);
        }
    }

    [Fact]
    public async Task The_main_account_sees_the_same_current_project_in_the_list_as_everywhere()
    {
        var owner = await _host.SignUpAsync();
        await _host.Get<ProjectService>().CreateAsync(owner, "Второй");

        await AssertSameViewAsync(owner);
    }

    [Fact]
    public async Task An_employee_whose_remembered_project_lost_its_access_falls_back_to_the_same_project()
    {
        var owner = await _host.SignUpAsync();
        var second = (await _host.Get<ProjectService>().CreateAsync(owner, "Второй")).Value!;
        var admin = await _host.AddEmployeeAsync(owner, "admin", CommonSections.Employees);
        await using (var db = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId))
        {
            db.Memberships.Add(new ProjectMembership { EmployeeId = admin.EmployeeId, ProjectId = second.Id, AccountId = owner.AccountId, HasAccess = true });
            await db.SaveChangesAsync();
            await db.Memberships.Where(m => m.EmployeeId == admin.EmployeeId && m.ProjectId != second.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.HasAccess, false));
        }

        await AssertSameViewAsync(admin);
    }

    [Fact]
    public async Task An_employee_without_the_employees_section_is_refused_by_both()
    {
        var owner = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan", CommonSections.Telephony);

        await AssertSameViewAsync(ivan);
    }

    [Fact]
    public async Task An_employee_without_any_project_has_no_current_project_in_either()
    {
        var owner = await _host.SignUpAsync();
        var admin = await _host.AddEmployeeAsync(owner, "admin", CommonSections.Employees, projectAccess: false);

        await AssertSameViewAsync(admin);
    }
}
