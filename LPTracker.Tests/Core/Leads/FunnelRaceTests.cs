using LPTracker.Core.Leads;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Core.Leads;

/// <summary>The default funnel is created by the first CRM request of a project; racing first requests must not double it.</summary>
public sealed class FunnelRaceTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task First_requests_racing_on_new_projects_all_get_one_and_the_same_funnel()
    {
        var projects = new List<int>();
        for (var i = 0; i < 8; i++)
        {
            projects.Add(await _host.AddProjectAsync(_owner, $"Проект {i}"));
        }

        // Four first requests per project, all at once, each on its own connection to the SQLite file.
        var answers = await Task.WhenAll(projects.SelectMany(p => Enumerable.Range(0, 4).Select(_ =>
            Task.Run(async () => (Project: p, Stages: await _host.Get<FunnelStages>().ListAsync(_owner, p))))));

        foreach (var group in answers.GroupBy(a => a.Project))
        {
            var first = group.First().Stages.Select(s => s.Id).ToList();
            Assert.Equal(6, first.Count);
            Assert.All(group, a => Assert.Equal(first, a.Stages.Select(s => s.Id)));
        }

        await using var db = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(_owner.AccountId);
        var counts = await db.Stages.Where(s => projects.Contains(s.ProjectId)).GroupBy(s => s.ProjectId).Select(g => g.Count()).ToListAsync();
        Assert.Equal(Enumerable.Repeat(6, projects.Count), counts);
    }

    [Fact]
    public async Task The_database_refuses_a_second_stage_at_a_taken_position()
    {
        var project = await _host.AddProjectAsync(_owner, "Проект");
        await _host.Get<FunnelStages>().ListAsync(_owner, project);
        await using var db = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(_owner.AccountId);
        db.Stages.Add(new FunnelStage { AccountId = _owner.AccountId, ProjectId = project, Name = "Дубль", Order = 1, Kind = StageKind.Lead });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }
}
