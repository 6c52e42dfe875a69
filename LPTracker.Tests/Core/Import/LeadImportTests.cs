using System.Globalization;
using LPTracker.Core.Import;
using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Contacts;
using LPTracker.Tests.Core.Leads;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Core.Import;

public sealed class LeadImportTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public LeadImportTests() => CultureInfo.CurrentUICulture = new CultureInfo("en-US");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<List<(string Title, string Stage, int? Owner, int? ContactId, decimal? Amount)>> LeadsAsync()
    {
        await using var db = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(_owner.AccountId);
        return (await db.Leads.OrderBy(x => x.Id).Select(x => new { x.Title, Stage = x.Stage!.Name, x.OwnerId, x.ContactId, x.Amount }).ToListAsync())
            .Select(x => (x.Title, x.Stage, x.OwnerId, x.ContactId, x.Amount)).ToList();
    }

    [Fact]
    public async Task Leads_are_created_with_their_stage_owner_amount_and_a_new_contact()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", ProjectSections.Leads);
        var stage = (await _host.StagesAsync(_owner)).Last(s => s.Kind == StageKind.Lead).Name;

        var report = (await _host.ImportAsync(_owner, $"Название;Имя;Телефон;Этап;Ответственный;Сумма;Дата шага\n"
            + $"Окна;Анна;+79001112233;{stage.ToUpperInvariant()};ivan;150 000,50;31.12.2026\nДвери;;;;;;\n", ImportKind.Leads)).Value!;

        Assert.Equal((2, true), (report.Created, report.Written));
        var leads = await LeadsAsync();
        Assert.Equal(("Окна", stage, ivan.EmployeeId, 150_000.50m), (leads[0].Title, leads[0].Stage, leads[0].Owner, leads[0].Amount!.Value));
        Assert.NotNull(leads[0].ContactId);
        Assert.Equal(("Двери", (int?)null, (int?)null), (leads[1].Title, leads[1].Owner, leads[1].ContactId));
        Assert.Equal(["Анна"], await _host.ContactNamesAsync(_owner));
    }

    [Theory]
    [InlineData("Europe/Moscow", "31.12.2026 10:00", "2026-12-31T07:00:00")]
    [InlineData("Europe/Moscow", "2026-12-31", "2026-12-30T21:00:00")]
    [InlineData("Asia/Vladivostok", "31.12.2026 10:00", "2026-12-31T00:00:00")]
    [InlineData("Europe/Berlin", "29.03.2026 02:30", "2026-03-29T01:30:00")]
    [InlineData(null, "31.12.2026 10:00", "2026-12-31T10:00:00")]
    public async Task Step_dates_are_read_as_the_wall_clock_of_the_importing_zone_and_stored_in_utc(string? zoneId, string cell, string expectedUtc)
    {
        var zone = zoneId is null ? null : TimeZoneInfo.FindSystemTimeZoneById(zoneId);

        var report = (await _host.ImportAsync(_owner, $"Название;Дата шага\nОкна;{cell}\n", ImportKind.Leads, zone: zone)).Value!;

        Assert.True(report.Written);
        await using var db = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(_owner.AccountId);
        var stored = await db.Leads.Select(x => x.StepDateUtc).SingleAsync();
        Assert.Equal(DateTime.Parse(expectedUtc, CultureInfo.InvariantCulture), stored);
    }

    [Fact]
    public async Task Unknown_stages_bad_dates_and_amounts_are_reported_per_row()
    {
        var report = (await _host.ImportAsync(_owner, "Название;Этап;Дата шага;Сумма\nА;Нет такого;;\nБ;;31.13.2026;\nВ;;;много\n", ImportKind.Leads, dryRun: true)).Value!;

        Assert.Equal([2, 3, 4], report.Rejections.Select(r => r.RowNumber));
        Assert.Contains("no stage «Нет такого»", report.Rejections[0].Reason, StringComparison.Ordinal);
        Assert.Contains("not a date", report.Rejections[1].Reason, StringComparison.Ordinal);
        Assert.Contains("not an amount", report.Rejections[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_transfer_an_employee_cannot_assign_imported_leads_to_others()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", ProjectSections.Leads, EmployeePermissions.ImportData);
        await _host.AddCrmEmployeeAsync(_owner, "petr", ProjectSections.Leads);

        var report = (await _host.ImportAsync(ivan, "Название;Ответственный\nСвой;ivan\nЧужой;petr\n", ImportKind.Leads, validRowsOnly: true)).Value!;

        Assert.Equal([3], report.Rejections.Select(r => r.RowNumber));
        Assert.Equal(["Свой"], (await LeadsAsync()).Select(x => x.Title));
    }

    [Theory]
    [InlineData(DuplicateMode.Skip, "Старый", 1, 0)]
    [InlineData(DuplicateMode.Update, "Новый", 0, 1)]
    public async Task A_contact_with_an_open_lead_has_that_lead_skipped_or_updated(DuplicateMode mode, string title, int skipped, int updated)
    {
        var contactId = await _host.AddContactAsync(_owner, "Анна", "+79001112233");
        var leadId = await _host.AddLeadAsync(_owner, "Старый");
        await using (var db = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(_owner.AccountId))
        {
            await db.Leads.Where(x => x.Id == leadId).ExecuteUpdateAsync(s => s.SetProperty(x => x.ContactId, contactId));
        }

        var report = (await _host.ImportAsync(_owner, "Название;Телефон\nНовый;8 900 111 22 33\n", ImportKind.Leads, duplicates: mode)).Value!;

        Assert.Equal((0, updated, skipped), (report.Created, report.Updated, report.Skipped));
        Assert.Equal([title], (await LeadsAsync()).Select(x => x.Title));
    }
}
