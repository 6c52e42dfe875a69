using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Contacts;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Leads;

/// <summary>
/// The Leads and Deals lists' order, paging and filters. The list reads dated and undated leads as two ranges of an
/// index (for speed at 100,000 leads); these tests hold it to the order of one sort: step date first (ties: newest
/// first), then the undated leads newest first, across page boundaries.
/// </summary>
public sealed class LeadListTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;
    private CallerContext _ivan = null!;
    private readonly Dictionary<string, int> _stages = [];

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
        _ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", ProjectSections.Leads | ProjectSections.Deals, EmployeePermissions.SeeNewLeadsWithUnprocessed);
        foreach (var stage in await _host.StagesAsync(_owner))
        {
            _stages.TryAdd(stage.Kind.ToString(), stage.Id);
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private DateTime Now => _host.Time.GetUtcNow().UtcDateTime;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(25)]
    public async Task Dated_leads_come_by_step_date_newest_first_on_ties_then_undated_newest_first_on_every_page_size(int pageSize)
    {
        await _host.AddLeadAsync(_owner, "A", stepDateUtc: Now.AddDays(1));
        await _host.AddLeadAsync(_owner, "B", stepDateUtc: Now.AddDays(-1));
        await _host.AddLeadAsync(_owner, "C");
        await _host.AddLeadAsync(_owner, "D", stepDateUtc: Now.AddDays(1));
        await _host.AddLeadAsync(_owner, "E");

        var (titles, totals) = await AllPagesAsync(_owner, new LeadListQuery(PageSize: pageSize));

        Assert.Equal(["B", "D", "A", "E", "C"], titles);
        Assert.All(totals, t => Assert.Equal(5, t));
    }

    [Fact]
    public async Task A_page_past_the_end_is_empty_and_still_tells_the_total()
    {
        await _host.AddLeadAsync(_owner, "A", stepDateUtc: Now.AddDays(1));
        await _host.AddLeadAsync(_owner, "B");

        var page = (await _host.Get<LeadQueries>().ListAsync(_owner, new LeadListQuery(Page: 5, PageSize: 2))).Value!;

        Assert.Empty(page.Rows);
        Assert.Equal(2, page.Total);
    }

    [Theory]
    [InlineData("all leads", "A-lead-mine-overdue,B-lead-pool,C-lead-other-undated")]
    [InlineData("all deals", "D-deal-pool-overdue,E-won-mine-past,F-lost-other")]
    [InlineData("mine", "A-lead-mine-overdue")]
    [InlineData("pool", "B-lead-pool")]
    [InlineData("overdue leads", "A-lead-mine-overdue")]
    [InlineData("overdue deals", "D-deal-pool-overdue")]
    [InlineData("stage won", "E-won-mine-past")]
    [InlineData("search", "C-lead-other-undated")]
    [InlineData("mine deals", "E-won-mine-past")]
    [InlineData("pool overdue deals", "D-deal-pool-overdue")]
    public async Task Each_filter_and_their_combinations_list_exactly_the_matching_leads(string filter, string expected)
    {
        var petr = await _host.AddCrmEmployeeAsync(_owner, "petr", ProjectSections.Leads | ProjectSections.Deals);
        await _host.AddLeadAsync(_owner, "A-lead-mine-overdue", _owner, Now.AddHours(-1));
        await _host.AddLeadAsync(_owner, "B-lead-pool", stepDateUtc: Now.AddHours(1));
        await _host.AddLeadAsync(_owner, "C-lead-other-undated", petr);
        await _host.AddLeadAsync(_owner, "D-deal-pool-overdue", stepDateUtc: Now.AddHours(-2), stageId: _stages["Deal"]);
        await _host.AddLeadAsync(_owner, "E-won-mine-past", _owner, Now.AddHours(-3), _stages["Won"]);
        await _host.AddLeadAsync(_owner, "F-lost-other", petr, Now.AddHours(2), _stages["Lost"]);
        var query = filter switch
        {
            "all leads" => new LeadListQuery(),
            "all deals" => new LeadListQuery(LeadView.Deals),
            "mine" => new LeadListQuery(Owner: LeadOwnerFilter.Mine),
            "pool" => new LeadListQuery(Owner: LeadOwnerFilter.Pool),
            "overdue leads" => new LeadListQuery(OverdueOnly: true),
            "overdue deals" => new LeadListQuery(LeadView.Deals, OverdueOnly: true),
            "stage won" => new LeadListQuery(LeadView.Deals, StageId: _stages["Won"]),
            "search" => new LeadListQuery(Search: "OTHER-undated"),
            "mine deals" => new LeadListQuery(LeadView.Deals, LeadOwnerFilter.Mine),
            _ => new LeadListQuery(LeadView.Deals, LeadOwnerFilter.Pool, OverdueOnly: true),
        };

        var (titles, totals) = await AllPagesAsync(_owner, query with { PageSize = 2 });

        Assert.Equal(expected.Split(','), titles.Order(StringComparer.Ordinal));
        Assert.All(totals, t => Assert.Equal(titles.Count, t));
    }

    [Fact]
    public async Task Without_see_others_the_pages_hold_own_and_pool_leads_in_list_order()
    {
        var petr = await _host.AddCrmEmployeeAsync(_owner, "petr", ProjectSections.Leads);
        await _host.AddLeadAsync(_owner, "Пул без даты");
        await _host.AddLeadAsync(_owner, "Иван позже", _ivan, Now.AddDays(2));
        await _host.AddLeadAsync(_owner, "Петр", petr, Now.AddDays(1));
        await _host.AddLeadAsync(_owner, "Пул раньше", stepDateUtc: Now.AddDays(1));
        await _host.AddLeadAsync(_owner, "Иван без даты", _ivan);

        var (titles, totals) = await AllPagesAsync(_ivan, new LeadListQuery(PageSize: 2));

        Assert.Equal(["Пул раньше", "Иван позже", "Иван без даты", "Пул без даты"], titles);
        Assert.All(totals, t => Assert.Equal(4, t));
    }

    private async Task<(List<string> Titles, List<int> Totals)> AllPagesAsync(CallerContext caller, LeadListQuery query)
    {
        var (titles, totals) = (new List<string>(), new List<int>());
        for (var page = 0; page < 20; page++)
        {
            var result = await _host.Get<LeadQueries>().ListAsync(caller, query with { Page = page });
            Assert.True(result.Succeeded, result.Summary);
            totals.Add(result.Value!.Total);
            if (result.Value.Rows.Count == 0)
            {
                break;
            }

            titles.AddRange(result.Value.Rows.Select(r => r.Title));
        }

        return (titles, totals);
    }
}
