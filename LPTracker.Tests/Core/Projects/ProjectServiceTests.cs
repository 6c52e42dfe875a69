using LPTracker.Core.Permissions;
using LPTracker.Core.Projects;
using LPTracker.Core.Security;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Projects;

public sealed class ProjectServiceTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;

    public async Task InitializeAsync() => _host = await CoreTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ProjectService Projects => _host.Get<ProjectService>();

    [Fact]
    public async Task The_main_account_creates_a_project_and_it_becomes_current()
    {
        var owner = await _host.SignUpAsync();

        var created = await Projects.CreateAsync(owner, "  Проект 2 ");

        Assert.True(created.Succeeded);
        var profile = await _host.Get<AccessService>().GetProfileAsync(owner);
        Assert.Equal(new ProjectRef(created.Value!.Id, "Проект 2"), profile!.CurrentProject);
        Assert.Equal(2, (await Projects.ListAsync(owner)).Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task A_project_needs_a_name(string? name)
    {
        var owner = await _host.SignUpAsync();

        var created = await Projects.CreateAsync(owner, name);

        Assert.False(created.Succeeded);
        Assert.Single(await Projects.ListAsync(owner));
    }

    [Fact]
    public async Task A_project_name_longer_than_the_limit_is_refused()
    {
        var owner = await _host.SignUpAsync();

        var created = await Projects.CreateAsync(owner, new string('п', 10_000));

        Assert.False(created.Succeeded);
    }

    [Fact]
    public async Task The_last_project_cannot_be_deleted()
    {
        var owner = await _host.SignUpAsync();
        var only = Assert.Single(await Projects.ListAsync(owner));

        var result = await Projects.DeleteAsync(owner, only.Id);

        Assert.False(result.Succeeded);
        Assert.Single(await Projects.ListAsync(owner));
    }

    [Fact]
    public async Task Deleting_the_current_project_moves_the_employee_to_another_one()
    {
        var owner = await _host.SignUpAsync();
        var first = Assert.Single(await Projects.ListAsync(owner));
        var second = (await Projects.CreateAsync(owner, "Второй")).Value!;

        var result = await Projects.DeleteAsync(owner, second.Id);

        Assert.True(result.Succeeded);
        var profile = await _host.Get<AccessService>().GetProfileAsync(owner);
        Assert.Equal(first.Id, profile!.CurrentProject!.Id);
    }

    [Fact]
    public async Task An_employee_who_is_not_the_main_account_cannot_create_or_delete_projects()
    {
        var owner = await _host.SignUpAsync();
        var admin = await _host.AddEmployeeAsync(owner, "admin", CommonSections.All);
        var first = Assert.Single(await Projects.ListAsync(owner));
        await Projects.CreateAsync(owner, "Второй");

        var created = await Projects.CreateAsync(admin, "Третий");
        var deleted = await Projects.DeleteAsync(admin, first.Id);

        Assert.False(created.Succeeded);
        Assert.False(deleted.Succeeded);
        Assert.Equal(2, (await Projects.ListAsync(owner)).Count);
    }

    [Fact]
    public async Task An_employee_sees_only_the_projects_it_has_access_to()
    {
        var owner = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var noAccess = await _host.AddEmployeeAsync(owner, "petr", projectAccess: false);
        await Projects.CreateAsync(owner, "Второй");

        var ivans = await Projects.ListAsync(ivan);
        var petrs = await Projects.ListAsync(noAccess);

        Assert.Equal(["Проект 1"], ivans.Select(p => p.Name));
        Assert.Empty(petrs);
    }
}
