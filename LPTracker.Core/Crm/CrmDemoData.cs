using LPTracker.Core.Contacts;
using LPTracker.Core.Leads;
using LPTracker.Core.Persistence;
using LPTracker.Core.Tasks;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Crm;

/// <summary>
/// The demo account's CRM: contacts, leads in every stage of the default funnel (some overdue for 19079_ivan, so his
/// overdue gate shows), pool leads, and tasks. Called once by the demo seeder.
/// </summary>
internal static class CrmDemoData
{
    private static readonly (string Name, string Company, string Phone)[] People =
    [
        ("Анна Морозова", "ООО «Ромашка»", "+74951234501"), ("Борис Новиков", "ИП Новиков", "+74951234502"),
        ("Вера Фёдорова", "АО «Северсталь-Сервис»", "+78123893201"), ("Григорий Орлов", "", "+79161234503"),
        ("Дарья Волкова", "ООО «Вектор»", "+79261234504"), ("Евгений Зайцев", "ООО «Гранит»", "+73833123405"),
        ("Жанна Павлова", "", "+79031234506"), ("Зоя Семёнова", "ООО «Лотос»", "+78432123407"),
        ("Игорь Голубев", "АО «Транзит»", "+73432123408"), ("Кира Виноградова", "", "+79991234509"),
    ];

    public static async Task SeedAsync(
        LptrackerDbContext db, int accountId, int projectId, int mainId, IReadOnlyList<int> employees, DateTime now, IStringLocalizer l,
        CancellationToken ct)
    {
        var stages = await FunnelStages.EnsureAsync(db, accountId, projectId, l, ct);
        var contacts = People.Select((p, i) =>
        {
            var c = new Contact
            {
                AccountId = accountId, ProjectId = projectId, Name = p.Name, Company = p.Company.Length == 0 ? null : p.Company,
                OwnerId = employees[i % employees.Count], CreatedUtc = now.AddDays(-20 + i), UpdatedUtc = now,
            };
            c.Phones.Add(new ContactPhone { AccountId = accountId, ProjectId = projectId, E164 = p.Phone, Tail = ContactPhone.TailOf(p.Phone) });
            c.Emails.Add(new ContactEmail { AccountId = accountId, Address = $"client{i + 1}@example.com" });
            c.RefreshSearchText();
            return c;
        }).ToList();
        db.Contacts.AddRange(contacts);
        await db.SaveChangesAsync(ct);

        var ivan = employees[0];
        // (title, stage index, owner: -1 pool / index into employees, step date offset in hours)
        (string Title, int Stage, int Owner, int StepHours)[] leads =
        [
            ("Заявка с сайта: подключение АТС", 0, 0, -30), ("Звонок: тариф для офиса", 1, 0, -4), ("Повторная заявка", 0, 0, 20),
            ("Заявка из виджета", 0, -1, 2), ("Запрос прайса", 0, -1, 48), ("Консультация по CRM", 1, 1, 5),
            ("Интеграция с сайтом", 2, 1, 24), ("Коммерческое предложение", 3, 2, -2), ("Годовой контракт", 2, 0, 72),
            ("Продление договора", 4, 1, -100), ("Отказ: дорого", 5, 2, -50), ("Многоканальный номер", 1, 3, 12),
            ("Колл-центр на 10 мест", 3, 0, 30), ("Перенос номеров", 4, 0, -10),
        ];
        var rows = leads.Select((x, i) => new Lead
        {
            AccountId = accountId, ProjectId = projectId, ContactId = contacts[i % contacts.Count].Id, Title = x.Title,
            StageId = stages[x.Stage].Id, OwnerId = x.Owner < 0 ? null : employees[x.Owner % employees.Count],
            StepDateUtc = now.AddHours(x.StepHours), Amount = 15_000m * (i + 1), Source = i % 2 == 0 ? "Сайт" : "Звонок",
            CreatedUtc = now.AddDays(-10 + i % 7), UpdatedUtc = now,
        }).ToList();
        rows.ForEach(r => r.RefreshSearchText());
        db.Leads.AddRange(rows);
        await db.SaveChangesAsync(ct);
        db.LeadChanges.AddRange(rows.Select(r => new LeadChange
        {
            AccountId = accountId, LeadId = r.Id, AtUtc = r.CreatedUtc, EmployeeId = mainId, Field = LeadField.Created, NewValue = r.Title,
        }));
        db.Tasks.AddRange(rows.Take(6).Select((r, i) => new CrmTask
        {
            AccountId = accountId, ProjectId = projectId, LeadId = r.Id, Title = i % 2 == 0 ? "Перезвонить клиенту" : "Отправить КП",
            DueUtc = now.AddHours(i % 3 == 0 ? -3 : 20 + i), AssigneeId = r.OwnerId ?? ivan, AuthorId = mainId, CreatedUtc = now.AddDays(-2),
        }));
        await db.SaveChangesAsync(ct);
    }
}
