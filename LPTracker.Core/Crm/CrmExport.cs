using System.Globalization;
using CsvHelper;
using LPTracker.Core.Contacts;
using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Crm;

/// <summary>
/// Export to CSV (UTF-8 with BOM, <c>;</c> — what Excel in a Russian locale opens without a wizard) of exactly the rows
/// the caller sees with the current filter: the same visibility rules and filter as the lists, plus the Export data
/// permission. Rows stream from the database to the output, so 100,000 leads never sit in memory.
/// </summary>
public sealed class CrmExport(IDbContextFactory<LptrackerDbContext> dbFactory, TimeProvider time, IStringLocalizer<CrmExport> l)
{
    // Formula escaping is ours (CsvCells), which keeps phone numbers readable; the library's is off (its default).
    private static readonly CsvWriterOptions Csv = new() { Separator = ';', WriteByteOrderMark = true };

    /// <summary>Writes the current project's leads (or deals) matching <paramref name="filter"/> to <paramref name="output"/>.</summary>
    public async Task<OperationResult> WriteLeadsAsync(CallerContext caller, LeadListQuery filter, Stream output, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var section = filter.View == LeadView.Leads ? ProjectSections.Leads : ProjectSections.Deals;
        if (await CrmAccess.CurrentProjectIdAsync(db, caller, ct) is not { } projectId
            || await CrmAccess.RequireAsync(db, caller, projectId, section, EmployeePermissions.ExportData, ct) is not { } scope)
        {
            return OperationResult.Fail("", l["Access.Denied"]);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var leads = LeadQueries.Filter((await LeadVisibility.ForAsync(db, scope, now, ct)).Leads, filter, scope.EmployeeId, now);
        var rows = leads.AsNoTracking().OrderBy(x => x.Id).Select(x => new
        {
            x.Id, x.Title, Stage = x.Stage!.Name, x.StepDateUtc, x.Amount, x.Source, x.CreatedUtc,
            Contact = db.Contacts.Where(c => c.Id == x.ContactId).Select(c => c.Name).FirstOrDefault(),
            Owner = db.Employees.Where(e => e.Id == x.OwnerId).Select(e => e.Name).FirstOrDefault(),
        }).AsAsyncEnumerable();
        await using var csv = Open(output);
        foreach (var header in new[] { "Id", "Title", "Contact", "Stage", "Owner", "StepDateUtc", "Amount", "Source", "CreatedUtc" })
        {
            csv.WriteField(header);
        }

        await csv.EndRecordAsync(ct);
        await foreach (var r in rows.WithCancellation(ct))
        {
            csv.WriteField(r.Id.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(CsvCells.Safe(r.Title));
            csv.WriteField(CsvCells.Safe(r.Contact));
            csv.WriteField(CsvCells.Safe(r.Stage));
            csv.WriteField(CsvCells.Safe(r.Owner));
            csv.WriteField(r.StepDateUtc?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
            csv.WriteField(r.Amount?.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(CsvCells.Safe(r.Source));
            csv.WriteField(r.CreatedUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
            await csv.EndRecordAsync(ct);
        }

        return OperationResult.Ok();
    }

    /// <summary>Writes the current project's contacts matching <paramref name="search"/> to <paramref name="output"/>.</summary>
    public async Task<OperationResult> WriteContactsAsync(CallerContext caller, string? search, Stream output, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        if (await CrmAccess.CurrentProjectIdAsync(db, caller, ct) is not { } projectId
            || await CrmAccess.RequireAsync(db, caller, projectId, ProjectSections.Contacts, EmployeePermissions.ExportData, ct) is null)
        {
            return OperationResult.Fail("", l["Access.Denied"]);
        }

        var rows = ContactQueries.Search(db.Contacts.AsNoTracking().Where(c => c.ProjectId == projectId), search).OrderBy(c => c.Id)
            .Select(c => new
            {
                c.Id, c.Name, c.Company, c.Comment,
                Phones = c.Phones.OrderBy(p => p.Id).Select(p => p.E164).ToList(),
                Emails = c.Emails.OrderBy(e => e.Id).Select(e => e.Address).ToList(),
                Owner = db.Employees.Where(e => e.Id == c.OwnerId).Select(e => e.Name).FirstOrDefault(),
            }).AsAsyncEnumerable();
        await using var csv = Open(output);
        foreach (var header in new[] { "Id", "Name", "Company", "Phones", "Emails", "Owner", "Comment" })
        {
            csv.WriteField(header);
        }

        await csv.EndRecordAsync(ct);
        await foreach (var r in rows.WithCancellation(ct))
        {
            csv.WriteField(r.Id.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(CsvCells.Safe(r.Name));
            csv.WriteField(CsvCells.Safe(r.Company));
            csv.WriteField(CsvCells.Safe(string.Join(", ", r.Phones)));
            csv.WriteField(CsvCells.Safe(string.Join(", ", r.Emails)));
            csv.WriteField(CsvCells.Safe(r.Owner));
            csv.WriteField(CsvCells.Safe(r.Comment));
            await csv.EndRecordAsync(ct);
        }

        return OperationResult.Ok();
    }

    private static CsvWriter Open(Stream output) => CsvWriter.Create(output, Csv, true);
}
