using System.Globalization;
using System.Text;
using LPTracker.Core.Accounts;
using LPTracker.Core.Audit;
using LPTracker.Core.Contacts;
using LPTracker.Core.Employees;
using LPTracker.Core.Import;
using LPTracker.Core.Leads;
using LPTracker.Core.Persistence;
using LPTracker.Core.Projects;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Contacts;
using LPTracker.Tests.Core.Leads;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Tests.Core.Import;

/// <summary>
/// The import's write (multi-row inserts, not tracked entities) on both providers: rows stored as the editors store
/// them, ids from the tables' own sequences, and all or nothing when the database refuses a row part-way through.
/// </summary>
public sealed class ImportWriteTests
{
    public ImportWriteTests() => CultureInfo.CurrentUICulture = new CultureInfo("en-US");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Imported_contacts_and_leads_are_stored_field_by_field_as_the_editors_store_them(bool postgres)
    {
        await using var host = await CoreTestHost.StartAsync(postgres: postgres);
        var importer = await host.SignUpAsync($"importer-{Guid.NewGuid():N}@example.com");
        var editor = await host.SignUpAsync();
        var stage = (await host.StagesAsync(importer)).Last(s => s.Kind == StageKind.Lead).Name;
        var login = await EmailAsync(host, importer);

        var report = (await host.ImportAsync(importer, "Название;Имя;Компания;Телефон;E-mail;Комментарий;Этап;Ответственный;Сумма;Дата шага;Источник\n"
            + $"Окна ПВХ;Анна Петрова;ООО «Ромашка»;+7 900 111-22-33, 8 (812) 389-32-98;Anna.Petrova@Example.com;Звонить после 18;{stage};{login};150 000,50;31.12.2026 10:00;Сайт\n",
            ImportKind.Leads)).Value!;
        await SaveThroughEditorsAsync(host, editor, stage);

        Assert.Equal((1, true), (report.Created, report.Written));
        Assert.Equal(await RowsAsync(host, editor), await RowsAsync(host, importer));
        await using var db = await host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(importer.AccountId);
        var audit = await db.AuditRecords.SingleAsync(r => r.ProjectId != null);
        Assert.Equal(AuditAction.LeadsImported, audit.Action);
        Assert.Contains(new AuditChange("Created", null, "1"), audit.Changes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Thousands_of_leads_with_new_contacts_are_written_linked_and_the_editor_saves_after_them(bool postgres)
    {
        await using var host = await CoreTestHost.StartAsync(postgres: postgres);
        var owner = await host.SignUpAsync();
        var before = await host.AddContactAsync(owner, "До импорта", "+79990000001");

        var report = (await host.ImportAsync(owner, LeadsFile(2_500), ImportKind.Leads)).Value!;
        var after = await host.AddContactAsync(owner, "После импорта", "+79990000002");

        Assert.Equal((2_500, true), (report.Created, report.Written));
        await using var db = await host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId);
        var pairs = await db.Leads.Join(db.Contacts, x => x.ContactId, c => c.Id, (x, c) => new { x.Title, c.Name, c.Id }).ToListAsync();
        Assert.Equal(2_500, pairs.Count);
        Assert.All(pairs, p => Assert.Equal(p.Title.Replace("Сделка", "Клиент", StringComparison.Ordinal), p.Name));
        Assert.All(pairs, p => Assert.InRange(p.Id, before + 1, after - 1));
        var phones = await db.Set<ContactPhone>().Join(db.Contacts, p => p.ContactId, c => c.Id, (p, c) => new { p.E164, c.Name }).ToListAsync();
        Assert.All(phones.Where(p => p.Name.StartsWith("Клиент", StringComparison.Ordinal)),
            p => Assert.Equal(int.Parse(p.Name[7..], CultureInfo.InvariantCulture), int.Parse(p.E164[5..], CultureInfo.InvariantCulture)));
        Assert.Equal(2_502, phones.Count);
        Assert.Equal(2_500, await db.Set<ContactEmail>().CountAsync());
        Assert.Equal(5_000, await db.LeadChanges.Join(db.Leads, h => h.LeadId, x => x.Id, (h, x) => h).CountAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_row_the_database_refuses_part_way_through_leaves_nothing_written(bool postgres)
    {
        await using var host = await CoreTestHost.StartAsync(postgres: postgres);
        var owner = await host.SignUpAsync();
        await using (var db = await host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId))
        {
            // A real refusal by the database in the second batch of leads, after every contact, phone and e-mail and the
            // first batch of leads were written.
            await db.Database.ExecuteSqlRawAsync(postgres
                ? """
                  CREATE FUNCTION refuse_lead() RETURNS trigger LANGUAGE plpgsql AS $$
                  BEGIN IF NEW."Title" = 'Сделка 900' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$;
                  CREATE TRIGGER refuse_lead BEFORE INSERT ON "Leads" FOR EACH ROW EXECUTE FUNCTION refuse_lead();
                  """
                : """CREATE TRIGGER refuse_lead BEFORE INSERT ON "Leads" WHEN NEW."Title" = 'Сделка 900' BEGIN SELECT RAISE(ABORT, 'refused'); END;""");
        }

        var result = await host.ImportAsync(owner, LeadsFile(1_200), ImportKind.Leads);

        Assert.False(result.Succeeded);
        Assert.Contains(host.Get<IStringLocalizer<CrmImport>>()["Import.Conflict"].Value, result.Summary, StringComparison.Ordinal);
        await using var check = await host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId);
        Assert.Equal(
            (0, 0, 0, 0, 0, 0),
            (await check.Contacts.CountAsync(), await check.Set<ContactPhone>().CountAsync(), await check.Set<ContactEmail>().CountAsync(),
                await check.Leads.CountAsync(), await check.LeadChanges.CountAsync(), await check.AuditRecords.CountAsync(r => r.ProjectId != null)));
    }

    [Fact]
    public void A_phone_entry_reads_its_number_again_when_the_number_changes()
    {
        var entry = new PhoneEntry { Number = "8 (812) 389-32-98" };

        var first = entry.E164;
        entry.Number = "12345";
        var second = entry.E164;
        entry.Number = "+7 900 111-22-33";

        Assert.Equal(("+78123893298", null, "+79001112233"), (first, second, entry.E164));
    }

    private static string LeadsFile(int rows)
    {
        var csv = new StringBuilder("Название;Имя;Телефон;E-mail\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"Сделка {i};Клиент {i};+7900{i:D7};c{i}@example.com\n");
        }

        return csv.ToString();
    }

    private static async Task<string> EmailAsync(CoreTestHost host, CallerContext caller)
    {
        await using var db = await host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(caller.AccountId);
        return await db.Employees.Where(e => e.Id == caller.EmployeeId).Select(e => e.Email!).SingleAsync();
    }

    /// <summary>The same contact and lead as the imported row, through the contact and lead editors' handlers.</summary>
    private static async Task SaveThroughEditorsAsync(CoreTestHost host, CallerContext editor, string stage)
    {
        var project = await host.FirstProjectAsync(editor);
        var contact = await host.Get<SaveContact>().SaveAsync(editor, new ContactForm
        {
            ProjectId = project, Name = "Анна Петрова", Company = "ООО «Ромашка»", Comment = "Звонить после 18",
            Phones = [new PhoneEntry { Number = "+7 900 111-22-33" }, new PhoneEntry { Number = "8 (812) 389-32-98" }],
            Emails = [new EmailEntry { Address = "Anna.Petrova@Example.com" }],
        });
        Assert.True(contact.Succeeded, contact.Summary);
        var lead = await host.Get<SaveLead>().SaveAsync(editor, new LeadForm
        {
            ProjectId = project, Title = "Окна ПВХ", ContactId = contact.Value, StageId = (await host.StagesAsync(editor)).Single(s => s.Name == stage).Id,
            OwnerId = editor.EmployeeId, StepDateUtc = new DateTime(2026, 12, 31, 10, 0, 0, DateTimeKind.Utc), Amount = 150_000.50m, Source = "Сайт",
            StepDateReason = host.Get<IStringLocalizer<CrmImport>>()["Import.StepDateReason"],
        });
        Assert.True(lead.Succeeded, lead.Summary);
    }

    /// <summary>
    /// Every stored column of the account's contacts, phones, e-mails, leads and lead history, one line per row, sorted.
    /// Ids and concurrency tokens differ by nature and are left out; a column that points at another row is shown as
    /// what it points at (the caller, the account, the stage by name, the n-th contact), so two accounts compare.
    /// </summary>
    private static async Task<List<string>> RowsAsync(CoreTestHost host, CallerContext caller)
    {
        await using var db = await host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(caller.AccountId);
        var labels = new Dictionary<(Type, string), string>
        {
            [(typeof(Account), Id(caller.AccountId))] = "the account",
            [(typeof(Project), Id(await db.Projects.MinAsync(p => p.Id)))] = "the project",
            [(typeof(Employee), Id(caller.EmployeeId))] = "the caller",
        };
        foreach (var stage in await db.Stages.ToListAsync())
        {
            labels[(typeof(FunnelStage), Id(stage.Id))] = "stage " + stage.Name;
        }

        var contacts = await db.Contacts.AsNoTracking().OrderBy(c => c.Id).ToListAsync();
        var leads = await db.Leads.AsNoTracking().OrderBy(x => x.Id).ToListAsync();
        contacts.ForEach(c => labels[(typeof(Contact), Id(c.Id))] = "contact " + contacts.IndexOf(c));
        leads.ForEach(x => labels[(typeof(Lead), Id(x.Id))] = "lead " + leads.IndexOf(x));
        Assert.All(contacts, c => Assert.NotEqual(Guid.Empty, c.Version));
        Assert.All(leads, x => Assert.NotEqual(Guid.Empty, x.Version));

        var history = await db.LeadChanges.AsNoTracking().ToListAsync();
        var lines = new List<string>();
        lines.AddRange(Lines(db, contacts, labels));
        lines.AddRange(Lines(db, await db.Set<ContactPhone>().AsNoTracking().ToListAsync(), labels));
        lines.AddRange(Lines(db, await db.Set<ContactEmail>().AsNoTracking().ToListAsync(), labels));
        lines.AddRange(Lines(db, leads, labels));
        lines.AddRange(Lines(db, history, labels, (change, text) => change.Field switch
        {
            LeadField.Stage => labels.GetValueOrDefault((typeof(FunnelStage), text ?? ""), text ?? ""),
            LeadField.Owner => labels.GetValueOrDefault((typeof(Employee), text ?? ""), text ?? ""),
            _ => text,
        }));
        return [.. lines.Order(StringComparer.Ordinal)];
    }

    private static IEnumerable<string> Lines<T>(
        LptrackerDbContext db, List<T> rows, Dictionary<(Type, string), string> labels, Func<T, string?, string?>? values = null)
    {
        var entity = db.Model.FindEntityType(typeof(T))!;
        var columns = entity.GetProperties().Where(p => !p.IsPrimaryKey() && !p.IsConcurrencyToken).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        Assert.NotEmpty(rows);
        return rows.Select(row => typeof(T).Name + ": " + string.Join("; ", columns.Select(p =>
        {
            var value = Text(p.PropertyInfo!.GetValue(row));
            // Not every AccountId is a foreign key in the model (a phone's, an e-mail's): name it by its column.
            var principal = p.Name switch
            {
                nameof(Contact.AccountId) => typeof(Account),
                nameof(Contact.ProjectId) => typeof(Project),
                _ => p.GetContainingForeignKeys().FirstOrDefault()?.PrincipalEntityType.ClrType,
            };
            var text = principal is not null && value is not null
                ? labels.GetValueOrDefault((principal, value), "unknown " + value)
                : p.Name is nameof(LeadChange.OldValue) or nameof(LeadChange.NewValue) && values is not null ? values(row, value) : value;
            return $"{p.Name}={text ?? "null"}";
        })));
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
