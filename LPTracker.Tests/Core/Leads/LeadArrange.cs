using LPTracker.Core.Leads;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Contacts;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Leads;

/// <summary>Arranging helpers for lead tests: leads created by the main account through the real handler.</summary>
internal static class LeadArrange
{
    public static async Task<int> AddLeadAsync(
        this CoreTestHost host, CallerContext owner, string title, CallerContext? assignee = null, DateTime? stepDateUtc = null,
        int stageId = 0)
    {
        var form = new LeadForm
        {
            ProjectId = await host.FirstProjectAsync(owner), Title = title, OwnerId = assignee?.EmployeeId, StepDateUtc = stepDateUtc,
            StageId = stageId,
        };
        var result = await host.Get<SaveLead>().SaveAsync(owner, form);
        Assert.True(result.Succeeded, result.Summary);
        return result.Value;
    }

    /// <summary>Opens the lead's card as <paramref name="caller"/>, changes the form and saves it; the save must succeed.</summary>
    public static async Task EditLeadAsync(this CoreTestHost host, CallerContext caller, int id, Action<LeadForm> change)
    {
        var form = (await host.Get<LeadQueries>().GetAsync(caller, id)).Value!.ToForm();
        change(form);
        var result = await host.Get<SaveLead>().SaveAsync(caller, form);
        Assert.True(result.Succeeded, result.Summary);
    }

    public static async Task<IReadOnlyList<FunnelStage>> StagesAsync(this CoreTestHost host, CallerContext owner) =>
        await host.Get<FunnelStages>().ListAsync(owner, await host.FirstProjectAsync(owner));

    public static async Task<List<string>> LeadTitlesAsync(this CoreTestHost host, CallerContext caller, LeadView view = LeadView.Leads)
    {
        var page = await host.Get<LeadQueries>().ListAsync(caller, new LeadListQuery(view));
        Assert.True(page.Succeeded, page.Summary);
        return page.Value!.Rows.Select(r => r.Title).Order(StringComparer.Ordinal).ToList();
    }
}
