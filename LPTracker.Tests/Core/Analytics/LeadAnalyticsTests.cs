using System.Globalization;
using LPTracker.Core.Analytics;
using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Contacts;
using LPTracker.Tests.Core.Leads;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Analytics;

/// <summary>
/// Analytics over a real SQLite file with a fake clock. The arrangement: ivan and petr each own leads; ivan moves a
/// step date with a reason and one without (he may skip it), and one before the period; ivan wins one, petr loses one;
/// one lead sits in the pool; time then passes so some leads are overdue.
/// </summary>
public sealed class LeadAnalyticsTests : IAsyncLifetime
{
    private const ProjectSections Crm = ProjectSections.Leads | ProjectSections.Deals | ProjectSections.Analytics;
    private const EmployeePermissions Base = EmployeePermissions.SeeNewLeadsWithUnprocessed | EmployeePermissions.SkipStepDateReason;
    private readonly Dictionary<string, CallerContext> _callers = [];
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;
    private AnalyticsPeriod _period = null!;
    private int _ivansMovedLead;

    public LeadAnalyticsTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", Crm, Base);
        var petr = await _host.AddCrmEmployeeAsync(_owner, "petr", Crm, Base);
        _callers["main"] = _owner;
        _callers["ivan"] = ivan;
        _callers["petr"] = petr;
        _callers["boss"] = await _host.AddCrmEmployeeAsync(_owner, "boss", Crm, Base | EmployeePermissions.SeeOthersItems);
        _callers["no-section"] = await _host.AddCrmEmployeeAsync(_owner, "nosection", ProjectSections.Leads, Base | EmployeePermissions.SeeOthersItems);
        var stages = await _host.StagesAsync(_owner);

        _ivansMovedLead = await _host.AddLeadAsync(_owner, "Иван 1", ivan, Now.AddDays(1));
        await MoveStepDateAsync(ivan, _ivansMovedLead, Now.AddDays(2), "до начала периода");
        _host.Time.Advance(TimeSpan.FromDays(1));
        _period = new AnalyticsPeriod(Now, Now.AddDays(7));
        await _host.AddLeadAsync(_owner, "Иван 2", ivan, Now.AddHours(1));
        await _host.AddLeadAsync(_owner, "Пётр 1", petr, Now.AddHours(1));
        await _host.AddLeadAsync(_owner, "Пул", stepDateUtc: Now.AddHours(1));
        await MoveStepDateAsync(ivan, _ivansMovedLead, Now.AddDays(3), "Клиент в отпуске");
        _host.Time.Advance(TimeSpan.FromHours(1));
        await MoveStepDateAsync(ivan, _ivansMovedLead, Now.AddDays(4), null);
        await MoveToStageAsync(ivan, await _host.AddLeadAsync(_owner, "Иван выигран", ivan), stages.First(s => s.Kind == StageKind.Won).Id);
        await MoveToStageAsync(petr, await _host.AddLeadAsync(_owner, "Пётр проигран", petr), stages.First(s => s.Kind == StageKind.Lost).Id);
        _host.Time.Advance(TimeSpan.FromHours(2));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private DateTime Now => _host.Time.GetUtcNow().UtcDateTime;

    private LeadAnalytics Analytics => _host.Get<LeadAnalytics>();

    // name: open / overdue / moves (with reason) / won / lost
    public static TheoryData<string, string[]> RowsByCaller => new()
    {
        { "main", ["boss: 0/0/0(0)/0/0", "ivan: 2/1/2(1)/1/0", "nosection: 0/0/0(0)/0/0", "petr: 1/1/0(0)/0/1", "—: 1/1/0(0)/0/0"] },
        { "boss", ["boss: 0/0/0(0)/0/0", "ivan: 2/1/2(1)/1/0", "nosection: 0/0/0(0)/0/0", "petr: 1/1/0(0)/0/1", "—: 1/1/0(0)/0/0"] },
        { "ivan", ["ivan: 2/1/2(1)/1/0", "—: 1/1/0(0)/0/0"] },
        { "petr", ["petr: 1/1/0(0)/0/1", "—: 1/1/0(0)/0/0"] },
    };

    [Theory]
    [MemberData(nameof(RowsByCaller))]
    public async Task Each_caller_gets_the_rows_its_rights_allow_with_figures_counted_in_the_period(string caller, string[] expected)
    {
        var report = await Analytics.ReportAsync(_callers[caller], _period);

        Assert.True(report.Succeeded, report.Summary);
        Assert.Equal(expected, report.Value!.Rows.Where(r => r.EmployeeId != _owner.EmployeeId).Select(Format));
    }

    [Theory]
    [InlineData("no-section")]
    public async Task Without_the_analytics_section_the_report_is_refused(string caller)
    {
        var report = await Analytics.ReportAsync(_callers[caller], _period);

        Assert.Equal("Недостаточно прав для этого действия.", report.Summary);
    }

    [Theory]
    [InlineData("ivan", "ivan", true)]
    [InlineData("boss", "ivan", true)]
    [InlineData("main", "ivan", true)]
    [InlineData("petr", "ivan", false)]
    [InlineData("no-section", "no-section", false)]
    public async Task The_step_move_drill_down_lists_moves_with_reasons_to_whom_may_see_them(string caller, string of, bool allowed)
    {
        var lines = await Analytics.StepMovesAsync(_callers[caller], _callers[of].EmployeeId, _period);

        if (allowed)
        {
            Assert.True(lines.Succeeded, lines.Summary);
            Assert.Equal([(_ivansMovedLead, "Иван 1", null), (_ivansMovedLead, "Иван 1", "Клиент в отпуске")],
                lines.Value!.Select(x => (x.LeadId, x.LeadTitle, x.Reason)));
            Assert.Equal(_period.FromUtc.AddHours(1).AddDays(4), lines.Value![0].NewStepDateUtc);
        }
        else
        {
            Assert.Equal("Недостаточно прав для этого действия.", lines.Summary);
        }
    }

    [Fact]
    public async Task A_period_ending_before_it_starts_is_refused_with_a_message()
    {
        var report = await Analytics.ReportAsync(_owner, new AnalyticsPeriod(_period.ToUtc, _period.FromUtc));

        Assert.Equal("Выберите период: начало раньше конца, не длиннее 367 дней.", report.Summary);
    }

    [Fact]
    public async Task A_won_lead_counts_in_the_period_it_was_won_and_not_in_a_later_one()
    {
        var later = new AnalyticsPeriod(_period.ToUtc, _period.ToUtc.AddDays(7));

        var report = await Analytics.ReportAsync(_owner, later);

        Assert.All(report.Value!.Rows, r => Assert.Equal((0, 0, 0), (r.Won, r.Lost, r.StepMoves)));
        Assert.Equal(2, report.Value!.Rows.Single(r => r.Name == "ivan").Open);
    }

    [Fact]
    public async Task Another_accounts_leads_never_count()
    {
        var other = await _host.SignUpAsync();
        await _host.AddLeadAsync(other, "Чужой", stepDateUtc: Now.AddHours(-1));

        var report = await Analytics.ReportAsync(other, _period);

        Assert.Equal(1, report.Value!.Rows.Sum(r => r.Open));
    }

    private static string Format(EmployeeFigures r) =>
        $"{r.Name ?? "—"}: {r.Open}/{r.Overdue}/{r.StepMoves}({r.StepMovesWithReason})/{r.Won}/{r.Lost}";

    private Task MoveStepDateAsync(CallerContext caller, int id, DateTime to, string? reason) =>
        _host.EditLeadAsync(caller, id, form => (form.StepDateUtc, form.StepDateReason) = (to, reason));

    private Task MoveToStageAsync(CallerContext caller, int id, int stageId) =>
        _host.EditLeadAsync(caller, id, form => form.StageId = stageId);
}
