using LPTracker.Core.Contacts;
using LPTracker.Core.Crm;
using LPTracker.Core.Leads;
using LPTracker.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Import;

/// <summary>
/// The project's data an import checks each row against, read once (10,000 rows must not mean 10,000 queries):
/// who owns each phone and e-mail, the employees by name, login or e-mail, the funnel stages by name, and each
/// contact's open lead among those the caller may see.
/// </summary>
internal sealed class ImportLookups
{
    public required Dictionary<string, int> ContactByPhone { get; init; }

    public required Dictionary<string, int> ContactByEmail { get; init; }

    public required Dictionary<int, int> PhoneCount { get; init; }

    public required Dictionary<int, int> EmailCount { get; init; }

    public required Dictionary<string, int> OwnerByKey { get; init; }

    public required List<FunnelStage> Stages { get; init; }

    public required Dictionary<int, int> OpenLeadByContact { get; init; }

    public static async Task<ImportLookups> LoadAsync(LptrackerDbContext db, CrmScope scope, DateTime now, ImportKind kind, IStringLocalizer l, CancellationToken ct)
    {
        var phones = await db.Set<ContactPhone>().AsNoTracking().Where(p => p.ProjectId == scope.ProjectId)
            .Select(p => new { p.E164, p.ContactId }).ToListAsync(ct);
        var emails = await db.Set<ContactEmail>().AsNoTracking()
            .Join(db.Contacts.Where(c => c.ProjectId == scope.ProjectId), e => e.ContactId, c => c.Id, (e, c) => new { e.Address, e.ContactId })
            .ToListAsync(ct);
        var employees = await ContactQueries.ProjectEmployees(db, scope.ProjectId).AsNoTracking()
            .Select(e => new { e.Id, e.Name, e.Login, e.Email }).ToListAsync(ct);
        var owners = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in employees)
        {
            foreach (var key in new[] { e.Login, e.Email, e.Name }.Where(k => !string.IsNullOrWhiteSpace(k)))
            {
                owners.TryAdd(Key(key!), e.Id);
            }
        }

        var stages = kind == ImportKind.Leads ? await FunnelStages.EnsureAsync(db, scope.AccountId, scope.ProjectId, l, ct) : [];
        var openLeads = new Dictionary<int, int>();
        if (kind == ImportKind.Leads)
        {
            var visible = (await LeadVisibility.ForAsync(db, scope, now, ct)).Leads;
            var open = await visible.AsNoTracking()
                .Where(x => x.ContactId != null && (x.Stage!.Kind == StageKind.Lead || x.Stage.Kind == StageKind.Deal))
                .OrderBy(x => x.Id).Select(x => new { ContactId = x.ContactId!.Value, x.Id }).ToListAsync(ct);
            foreach (var lead in open)
            {
                openLeads.TryAdd(lead.ContactId, lead.Id);
            }
        }

        return new ImportLookups
        {
            ContactByPhone = phones.GroupBy(p => p.E164).ToDictionary(g => g.Key, g => g.First().ContactId, StringComparer.Ordinal),
            ContactByEmail = emails.GroupBy(e => Key(e.Address)).ToDictionary(g => g.Key, g => g.First().ContactId, StringComparer.Ordinal),
            PhoneCount = phones.GroupBy(p => p.ContactId).ToDictionary(g => g.Key, g => g.Count()),
            EmailCount = emails.GroupBy(e => e.ContactId).ToDictionary(g => g.Key, g => g.Count()),
            OwnerByKey = owners,
            Stages = stages,
            OpenLeadByContact = openLeads,
        };
    }

    /// <summary>How names, logins, e-mails and stage names are compared: trimmed, case-insensitive (Cyrillic too).</summary>
    public static string Key(string value) => value.Trim().ToLowerInvariant().Replace('ё', 'е');
}
