using System.Globalization;
using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Contacts;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Leads;

public sealed class FunnelStageTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public FunnelStageTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private FunnelStages Stages => _host.Get<FunnelStages>();

    [Fact]
    public async Task A_project_gets_the_default_funnel_with_lead_deal_and_final_stages()
    {
        var project = await _host.AddProjectAsync(_owner, "Новый проект");

        var stages = await Stages.ListAsync(_owner, project);

        Assert.Equal([StageKind.Lead, StageKind.Lead, StageKind.Deal, StageKind.Deal, StageKind.Won, StageKind.Lost], stages.Select(s => s.Kind));
        Assert.Equal("Новый", stages[0].Name);
    }

    [Fact]
    public async Task Project_settings_renames_reorders_and_adds_stages()
    {
        var project = await _host.FirstProjectAsync(_owner);
        var stages = await Stages.ListAsync(_owner, project);
        var forms = stages.Select(s => new StageForm { Id = s.Id, Name = s.Name, Kind = s.Kind }).Reverse().ToList();
        forms.Add(new StageForm { Name = "Квалификация", Kind = StageKind.Lead });

        var result = await Stages.SaveAsync(_owner, project, forms);

        Assert.True(result.Succeeded, result.Summary);
        var saved = await Stages.ListAsync(_owner, project);
        Assert.Equal(["Закрыто и не реализовано", "Квалификация"], new[] { saved[0].Name, saved[^1].Name });
    }

    [Fact]
    public async Task Editing_the_funnel_needs_the_project_settings_section()
    {
        var project = await _host.FirstProjectAsync(_owner);
        var leads = await _host.AddCrmEmployeeAsync(_owner, "leads", ProjectSections.Leads, EmployeePermissions.All);
        var forms = (await Stages.ListAsync(_owner, project)).Select(s => new StageForm { Id = s.Id, Name = "x", Kind = s.Kind }).ToList();

        var result = await Stages.SaveAsync(leads, project, forms);

        Assert.Equal("Недостаточно прав для этого действия.", result.Summary);
        Assert.Equal("Новый", (await Stages.ListAsync(_owner, project))[0].Name);
    }

    [Fact]
    public async Task A_stage_holding_leads_cannot_be_removed()
    {
        var project = await _host.FirstProjectAsync(_owner);
        await LeadArrange.AddLeadAsync(_host, _owner, "Лид");
        var forms = (await Stages.ListAsync(_owner, project)).Skip(1).Select(s => new StageForm { Id = s.Id, Name = s.Name, Kind = s.Kind }).ToList();

        var result = await Stages.SaveAsync(_owner, project, forms);

        Assert.Equal("На удаляемом этапе есть лиды: сначала перенесите их на другой этап.", result.Summary);
    }
}
