using System.Globalization;
using CsvHelper;
using LPTracker.Core.Contacts;
using LPTracker.Core.Export;
using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Crm;

/// <summary>The file formats of the CRM exports.</summary>
public enum ExportFormat
{
    Csv,
    Xlsx,
}

/// <summary>
/// Export to CSV (UTF-8 with BOM, <c>;</c> — what Excel in a Russian locale opens without a wizard) or XLSX of exactly the rows
/// the caller sees with the current filter: the same visibility rules and filter as the lists, plus the Export data
/// permission. Rows stream from the database to the output, so 100,000 leads never sit in memory.
/// </summary>
public sealed class CrmExport(IDbContextFactory<LptrackerDbContext> dbFactory, TimeProvider time, IStringLocalizer<CrmExport> l)
{
    // Formula escaping is ours (CsvCells), which keeps phone numbers readable; the library's is off (its default).
    private static readonly CsvWriterOptions Csv = new() { Separator = ';', WriteByteOrderMark = true };

    /// <summary>Writes the current project's leads (or deals) matching <paramref name="filter"/> to <paramref name="output"/>.</summary>
    public Task<OperationResult> WriteLeadsAsync(CallerContext caller, LeadListQuery filter, Stream output, CancellationToken ct = default) =>
        WriteLeadsAsync(caller, filter, ExportFormat.Csv, output, ct);

    /// <summary>As the CSV overload, in <paramref name="format"/>.</summary>
    public async Task<OperationResult> WriteLeadsAsync(CallerContext caller, LeadListQuery filter, ExportFormat format, Stream output, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var section = filter.View == LeadView.Leads ? ProjectSections.Leads : ProjectSections.Deals;
        if (await CrmAccess.CurrentProjectIdAsync(db, caller, ct) is not { } projectId
            || await CrmAccess.RequireAsync(db, caller, projectId, section, EmployeePermissions.ExportData, ct) is not { } scope)
        {
            return OperationResult.Fail("", l["Access.Denied"]);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var leads = LeadQueries.Filter(await LeadVisibility.ForAsync(db, scope, now, ct), filter, scope.EmployeeId, now);
        var rows = leads.AsNoTracking().OrderBy(x => x.Id).Select(x => new
        {
            x.Id, x.Title, Stage = x.Stage!.Name, x.StepDateUtc, x.Amount, x.Source, x.CreatedUtc,
            Contact = db.Contacts.Where(c => c.Id == x.ContactId).Select(c => c.Name).FirstOrDefault(),
            Owner = db.Employees.Where(e => e.Id == x.OwnerId).Select(e => e.Name).FirstOrDefault(),
        }).AsAsyncEnumerable().Select(r => new object?[] { r.Id, r.Title, r.Contact, r.Stage, r.Owner, r.StepDateUtc, r.Amount, r.Source, r.CreatedUtc });
        await WriteAsync(format, output, ["Id", "Title", "Contact", "Stage", "Owner", "StepDateUtc", "Amount", "Source", "CreatedUtc"], rows, ct);
        return OperationResult.Ok();
    }

    /// <summary>Writes the current project's contacts matching <paramref name="search"/> to <paramref name="output"/>.</summary>
    public Task<OperationResult> WriteContactsAsync(CallerContext caller, string? search, Stream output, CancellationToken ct = default) =>
        WriteContactsAsync(caller, search, ExportFormat.Csv, output, ct);

    /// <summary>As the CSV overload, in <paramref name="format"/>.</summary>
    public async Task<OperationResult> WriteContactsAsync(CallerContext caller, string? search, ExportFormat format, Stream output, CancellationToken ct = default)
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
            }).AsAsyncEnumerable()
            .Select(r => new object?[] { r.Id, r.Name, r.Company, string.Join(", ", r.Phones), string.Join(", ", r.Emails), r.Owner, r.Comment });
        await WriteAsync(format, output, ["Id", "Name", "Company", "Phones", "Emails", "Owner", "Comment"], rows, ct);
        return OperationResult.Ok();
    }

    /// <summary>
    /// One writer per format over the same rows: CSV cells as invariant text (dates <c>yyyy-MM-dd HH:mm</c>), XLSX cells
    /// typed (numbers and dates stay sortable). Text is neutralised against formula injection in both.
    /// </summary>
    private static async Task WriteAsync(ExportFormat format, Stream output, string[] headers, IAsyncEnumerable<object?[]> rows, CancellationToken ct)
    {
        if (format == ExportFormat.Xlsx)
        {
            await XlsxWriter.WriteAsync(output, headers, rows, "Export", ct);
            return;
        }

        await using var csv = CsvHelper.CsvWriter.Create(output, Csv, true);
        foreach (var header in headers)
        {
            csv.WriteField(header);
        }

        await csv.EndRecordAsync(ct);
        await foreach (var row in rows.WithCancellation(ct))
        {
            foreach (var cell in row)
            {
                csv.WriteField(cell switch
                {
                    null => null,
                    string text => CsvCells.Safe(text),
                    DateTime utc => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    IFormattable value => value.ToString(null, CultureInfo.InvariantCulture),
                    _ => CsvCells.Safe(cell.ToString()),
                });
            }

            await csv.EndRecordAsync(ct);
        }
    }
}
