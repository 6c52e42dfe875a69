using System.Globalization;
using LPTracker.Core.Export;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Employees.Bulk;

/// <summary>A table of employees as exported: localised headers, then one row of cells per employee.</summary>
public sealed record EmployeeTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string?>> Rows);

/// <summary>
/// The Employees list as shown (scope and search, or the ticked rows) as a file. Needs the Employees section and the
/// Export permission, checked here before a byte is written. The first seven columns are the import's, so an exported
/// file can be edited and imported back; projects the caller cannot open are never named.
/// </summary>
public sealed class EmployeeExport(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    AccessService access,
    ISipPresenceSource presence,
    IStringLocalizer<EmployeeExport> l)
{
    /// <summary>The table, or the localised reason it may not be read.</summary>
    public async Task<OperationResult<EmployeeTable>> ReadAsync(CallerContext caller, EmployeeSelection selection, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is not { } me)
        {
            return OperationResult<EmployeeTable>.Fail("", l["Access.Denied"]);
        }

        if (!me.Has(EmployeePermissions.ExportData))
        {
            return OperationResult<EmployeeTable>.Fail("", l["EmployeeFile.Error.NoExportPermission"]);
        }

        if (selection.Search is { Length: > Limits.SearchTerm })
        {
            return OperationResult<EmployeeTable>.Fail("", l["EmployeeList.Error.SearchTooLong", Limits.SearchTerm]);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var query = await SelectionQuery.ForAsync(db, me, selection, ct);
        var names = await AccessService.VisibleProjects(db, me.EmployeeId, me.IsMain).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var visible = names.Keys.ToList();
        var projectId = me.CurrentProject?.Id ?? 0;
        var employees = await query.OrderBy(e => e.SortName).ThenBy(e => e.Id).Take(EmployeeSelection.MaxRows)
            .Select(e => new
            {
                e.Id, e.Name, e.Login, e.Email, e.Phone, e.Position, e.CallReceiving, e.IsEnabled, e.IsMain, e.LastLoginUtc,
                Projects = e.Memberships.Where(m => m.HasAccess && visible.Contains(m.ProjectId)).OrderBy(m => m.ProjectId)
                    .Select(m => m.ProjectId).ToList(),
                Here = e.Memberships.Where(m => m.ProjectId == projectId).Select(m => new MembershipFlags(m.HasAccess, m.TakesCalls)).FirstOrDefault(),
                HasSip = db.SipAccounts.Any(s => s.EmployeeId == e.Id),
            })
            .ToListAsync(ct);

        var headers = EmployeeColumns.All.Select(c => l[$"EmployeeFile.Column.{c}"].Value).ToList();
        var rows = employees.Select(e => (IReadOnlyList<string?>)
        [
            e.Name, e.Login, e.Email, e.Phone, e.Position, string.Join(", ", e.Projects.Select(id => names[id])), l[$"EmployeeFile.Receiving.{e.CallReceiving}"].Value,
            l[e.IsEnabled ? "EmployeeFile.Yes" : "EmployeeFile.No"].Value,
            projectId == 0 ? null : l[$"EmployeeFile.Status.{EmployeeStatusRules.StatusIn(e.IsEnabled, e.IsMain, e.Here)}"].Value,
            l[$"EmployeeFile.Sip.{(e.HasSip ? presence.Get(e.Id).Status : SipStatus.NotCreated)}"].Value,
            e.LastLoginUtc?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        ]).ToList();
        return OperationResult<EmployeeTable>.Ok(new EmployeeTable(headers, rows));
    }

    /// <summary>Writes the table as CSV (<see cref="CsvWriter"/>: UTF-8 with BOM, <c>;</c>, formula cells escaped).</summary>
    public async Task<OperationResult> WriteCsvAsync(CallerContext caller, EmployeeSelection selection, Stream output, CancellationToken ct = default)
    {
        var table = await ReadAsync(caller, selection, ct);
        if (!table.Succeeded)
        {
            return table;
        }

        await using var csv = CsvWriter.Create(output);
        await csv.WriteRowAsync(table.Value!.Headers);
        foreach (var row in table.Value.Rows)
        {
            await csv.WriteRowAsync(row);
        }

        return OperationResult.Ok();
    }
}
