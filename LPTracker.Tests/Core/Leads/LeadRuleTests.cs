using System.Globalization;
using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Contacts;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Leads;

public sealed class LeadRuleTests : IAsyncLifetime
{
    private const ProjectSections Crm = ProjectSections.Leads | ProjectSections.Deals;
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public LeadRuleTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private DateTime Now => _host.Time.GetUtcNow().UtcDateTime;

    private SaveLead Save => _host.Get<SaveLead>();

    private LeadQueries Queries => _host.Get<LeadQueries>();

    [Fact]
    public async Task Without_see_others_an_employee_sees_its_own_and_the_pool_leads_only()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", Crm, EmployeePermissions.SeeNewLeadsWithUnprocessed);
        var petr = await _host.AddCrmEmployeeAsync(_owner, "petr", Crm);
        await _host.AddLeadAsync(_owner, "Иванов", ivan);
        await _host.AddLeadAsync(_owner, "Пул");
        await _host.AddLeadAsync(_owner, "Петров", petr);

        Assert.Equal(["Иванов", "Пул"], await _host.LeadTitlesAsync(ivan));
    }

    [Fact]
    public async Task With_see_others_an_employee_sees_everyones_leads()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", Crm, EmployeePermissions.SeeOthersItems | EmployeePermissions.SeeNewLeadsWithUnprocessed);
        var petr = await _host.AddCrmEmployeeAsync(_owner, "petr", Crm);
        await _host.AddLeadAsync(_owner, "Иванов", ivan);
        await _host.AddLeadAsync(_owner, "Петров", petr);

        Assert.Equal(["Иванов", "Петров"], await _host.LeadTitlesAsync(ivan));
    }

    [Fact]
    public async Task Another_employees_lead_typed_in_the_url_is_refused_without_see_others()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", Crm, EmployeePermissions.SeeNewLeadsWithUnprocessed);
        var petr = await _host.AddCrmEmployeeAsync(_owner, "petr", Crm);
        var petrs = await _host.AddLeadAsync(_owner, "Петров", petr);

        var result = await Queries.GetAsync(ivan, petrs);

        Assert.Equal("Недостаточно прав для этого действия.", result.Summary);
    }

    [Fact]
    public async Task The_overdue_gate_closes_when_an_own_lead_becomes_overdue_and_lifts_when_it_is_processed()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", Crm);
        var own = await _host.AddLeadAsync(_owner, "Свой", ivan, Now.AddHours(1));
        var pool = await _host.AddLeadAsync(_owner, "Пул");
        Assert.Equal(["Пул", "Свой"], await _host.LeadTitlesAsync(ivan));

        _host.Time.Advance(TimeSpan.FromHours(2));
        var gated = (await Queries.ListAsync(ivan, new LeadListQuery())).Value!;

        Assert.Equal((1, "Свой"), (gated.GatedOverdue, Assert.Single(gated.Rows).Title));
        Assert.Equal("Недостаточно прав для этого действия.", (await Queries.GetAsync(ivan, pool)).Summary);

        var form = (await Queries.GetAsync(ivan, own)).Value!.ToForm();
        form.StepDateUtc = Now.AddDays(1);
        form.StepDateReason = "Клиент просил перезвонить завтра";
        Assert.True((await Save.SaveAsync(ivan, form)).Succeeded);

        var lifted = (await Queries.ListAsync(ivan, new LeadListQuery())).Value!;
        Assert.Equal(0, lifted.GatedOverdue);
        Assert.Equal(["Пул", "Свой"], await _host.LeadTitlesAsync(ivan));
    }

    [Fact]
    public async Task With_see_new_leads_while_having_unprocessed_the_gate_never_closes()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", Crm, EmployeePermissions.SeeNewLeadsWithUnprocessed);
        await _host.AddLeadAsync(_owner, "Свой", ivan, Now.AddHours(1));
        await _host.AddLeadAsync(_owner, "Пул");

        _host.Time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(["Пул", "Свой"], await _host.LeadTitlesAsync(ivan));
    }

    [Fact]
    public async Task A_lead_on_a_final_stage_is_never_overdue()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", Crm);
        var won = (await _host.StagesAsync(_owner)).First(s => s.Kind == StageKind.Won);
        await _host.AddLeadAsync(_owner, "Выигран", ivan, Now.AddHours(-5), won.Id);
        await _host.AddLeadAsync(_owner, "Пул");

        Assert.Equal(["Пул"], await _host.LeadTitlesAsync(ivan));
        Assert.Equal(["Выигран"], await _host.LeadTitlesAsync(ivan, LeadView.Deals));
    }

    [Fact]
    public async Task Moving_an_existing_step_date_without_a_reason_is_refused_without_the_skip_right()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", Crm, EmployeePermissions.SeeNewLeadsWithUnprocessed);
        var id = await _host.AddLeadAsync(_owner, "Свой", ivan, Now.AddDays(1));
        var form = (await Queries.GetAsync(ivan, id)).Value!.ToForm();
        form.StepDateUtc = Now.AddDays(3);

        var result = await Save.SaveAsync(ivan, form);

        Assert.Equal("Укажите причину изменения даты шага.", result.ErrorFor(nameof(LeadForm.StepDateReason)));
        Assert.Equal(Now.AddDays(1), (await Queries.GetAsync(ivan, id)).Value!.StepDateUtc);
    }

    [Fact]
    public async Task The_reason_given_for_a_step_date_move_is_kept_in_the_history_with_who_and_old_and_new()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", Crm, EmployeePermissions.SeeNewLeadsWithUnprocessed);
        var id = await _host.AddLeadAsync(_owner, "Свой", ivan, new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc));
        var form = (await Queries.GetAsync(ivan, id)).Value!.ToForm();
        form.StepDateUtc = new DateTime(2026, 12, 3, 10, 0, 0, DateTimeKind.Utc);
        form.StepDateReason = "Клиент в отпуске";

        Assert.True((await Save.SaveAsync(ivan, form)).Succeeded);

        var line = (await Queries.GetAsync(ivan, id)).Value!.History[^1];
        Assert.Equal((LeadField.StepDate, "ivan", "2026-12-01 10:00 UTC", "2026-12-03 10:00 UTC", "Клиент в отпуске"),
            (line.Field, line.EmployeeName, line.OldValue, line.NewValue, line.Reason));
    }

    [Fact]
    public async Task With_the_skip_right_the_reason_is_optional_and_the_move_is_still_logged()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", Crm, EmployeePermissions.SeeNewLeadsWithUnprocessed | EmployeePermissions.SkipStepDateReason);
        var id = await _host.AddLeadAsync(_owner, "Свой", ivan, Now.AddDays(1));
        var form = (await Queries.GetAsync(ivan, id)).Value!.ToForm();
        form.StepDateUtc = Now.AddDays(3);

        var result = await Save.SaveAsync(ivan, form);

        Assert.True(result.Succeeded, result.Summary);
        Assert.Equal(2, (await Queries.GetAsync(ivan, id)).Value!.History.Count(h => h.Field == LeadField.StepDate));
    }

    [Fact]
    public async Task Setting_the_first_step_date_needs_no_reason()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", Crm, EmployeePermissions.SeeNewLeadsWithUnprocessed);
        var id = await _host.AddLeadAsync(_owner, "Свой", ivan);
        var form = (await Queries.GetAsync(ivan, id)).Value!.ToForm();
        form.StepDateUtc = Now.AddDays(1);

        Assert.True((await Save.SaveAsync(ivan, form)).Succeeded);
    }

    [Fact]
    public async Task Without_transfer_an_employee_takes_a_pool_lead_for_itself_but_cannot_give_a_lead_to_someone_else()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", Crm, EmployeePermissions.SeeNewLeadsWithUnprocessed);
        var petr = await _host.AddCrmEmployeeAsync(_owner, "petr", Crm);
        var pool = await _host.AddLeadAsync(_owner, "Пул");
        var take = (await Queries.GetAsync(ivan, pool)).Value!.ToForm();
        take.OwnerId = ivan.EmployeeId;

        Assert.True((await Save.SaveAsync(ivan, take)).Succeeded);

        var give = (await Queries.GetAsync(ivan, pool)).Value!.ToForm();
        give.OwnerId = petr.EmployeeId;
        var refused = await Save.SaveAsync(ivan, give);
        Assert.Equal("Нет права передавать лиды другим сотрудникам: можно только взять лид из пула себе.", refused.ErrorFor(nameof(LeadForm.OwnerId)));
        Assert.Equal(ivan.EmployeeId, (await Queries.GetAsync(ivan, pool)).Value!.OwnerId);
    }

    [Fact]
    public async Task With_transfer_an_employee_gives_its_lead_to_a_colleague_and_the_change_is_logged()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", Crm, EmployeePermissions.SeeNewLeadsWithUnprocessed | EmployeePermissions.TransferToOthers);
        var petr = await _host.AddCrmEmployeeAsync(_owner, "petr", Crm);
        var id = await _host.AddLeadAsync(_owner, "Свой", ivan);
        var form = (await Queries.GetAsync(ivan, id)).Value!.ToForm();
        form.OwnerId = petr.EmployeeId;

        Assert.True((await Save.SaveAsync(ivan, form)).Succeeded);

        var line = (await Queries.GetAsync(_owner, id)).Value!.History[^1];
        Assert.Equal((LeadField.Owner, "ivan", "petr"), (line.Field, line.OldValue, line.NewValue));
    }

    [Fact]
    public async Task The_later_of_two_concurrent_saves_is_told_and_the_first_stays()
    {
        var id = await _host.AddLeadAsync(_owner, "Лид");
        var first = (await Queries.GetAsync(_owner, id)).Value!.ToForm();
        var second = (await Queries.GetAsync(_owner, id)).Value!.ToForm();
        first.Title = "Первый";
        second.Title = "Второй";

        await Save.SaveAsync(_owner, first);
        var later = await Save.SaveAsync(_owner, second);

        Assert.StartsWith("Лид уже изменил кто-то другой.", later.Summary, StringComparison.Ordinal);
        Assert.Equal("Первый", (await Queries.GetAsync(_owner, id)).Value!.Title);
    }

    [Fact]
    public async Task A_lead_moved_to_a_deal_stage_leaves_leads_and_shows_in_deals_and_needs_the_deals_section()
    {
        var leadsOnly = await _host.AddCrmEmployeeAsync(_owner, "leads", ProjectSections.Leads, EmployeePermissions.All);
        var deal = (await _host.StagesAsync(_owner)).First(s => s.Kind == StageKind.Deal);
        var id = await _host.AddLeadAsync(_owner, "Сделка", stageId: deal.Id);

        Assert.Empty(await _host.LeadTitlesAsync(_owner));
        Assert.Equal(["Сделка"], await _host.LeadTitlesAsync(_owner, LeadView.Deals));
        Assert.Equal("Недостаточно прав для этого действия.", (await Queries.GetAsync(leadsOnly, id)).Summary);
        Assert.Equal("Недостаточно прав для этого действия.", (await Queries.ListAsync(leadsOnly, new LeadListQuery(LeadView.Deals))).Summary);
    }

    [Fact]
    public async Task Another_accounts_lead_reads_as_not_found_and_cannot_be_changed_or_deleted()
    {
        var other = await _host.SignUpAsync();
        var foreign = await _host.AddLeadAsync(other, "Чужой");
        var form = (await Queries.GetAsync(other, foreign)).Value!.ToForm();
        form.Title = "Взломан";

        Assert.Equal("Лид не найден: возможно, его удалили.", (await Queries.GetAsync(_owner, foreign)).Summary);
        Assert.False((await Save.SaveAsync(_owner, form)).Succeeded);
        Assert.False((await _host.Get<DeleteLead>().DeleteAsync(_owner, foreign)).Succeeded);
        Assert.Equal("Чужой", (await Queries.GetAsync(other, foreign)).Value!.Title);
    }

    [Fact]
    public async Task Deleting_a_lead_needs_the_delete_right_and_hides_it_everywhere()
    {
        var keeper = await _host.AddCrmEmployeeAsync(_owner, "keeper", Crm, EmployeePermissions.SeeNewLeadsWithUnprocessed);
        var id = await _host.AddLeadAsync(_owner, "Пул");

        Assert.False((await _host.Get<DeleteLead>().DeleteAsync(keeper, id)).Succeeded);
        Assert.True((await _host.Get<DeleteLead>().DeleteAsync(_owner, id)).Succeeded);
        Assert.Empty(await _host.LeadTitlesAsync(_owner));
        Assert.Equal("Лид не найден: возможно, его удалили.", (await Queries.GetAsync(_owner, id)).Summary);
    }
}
