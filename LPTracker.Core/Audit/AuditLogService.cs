using System.Globalization;
using LPTracker.Core.Export;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Audit;

/// <summary>The audit page's filters: who acted, whom it was about, what, and a period (UTC, inclusive).</summary>
public sealed record AuditFilter(int? ActorId = null, int? TargetId = null, AuditAction? Action = null, DateTime? FromUtc = null, DateTime? ToUtc = null);

/// <summary>One page of the log, newest first.</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Rows, int Total);

/// <summary>
/// Reads the audit log. Open to the main account and to employees with the Employees section; they see only what
/// they may see: never records about the main account, and numbers and projects only with the Telephony section.
/// </summary>
public sealed class AuditLogService(IDbContextFactory<LptrackerDbContext> dbFactory, AccessService access, IStringLocalizer<AuditLogService> l)
{
    public const int MaxPageSize = 200;

    public async Task<OperationResult<AuditPage>> SearchAsync(CallerContext caller, AuditFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is not { } profile)
        {
            return OperationResult<AuditPage>.Fail("", l["Access.Denied"]);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var query = await VisibleAsync(db, profile, filter, ct);
        var size = Math.Clamp(pageSize, 1, MaxPageSize);
        var rows = await query.Skip(Math.Max(0, page) * size).Take(size).ToListAsync(ct);
        return OperationResult<AuditPage>.Ok(new AuditPage(rows, await query.CountAsync(ct)));
    }

    /// <summary>Writes the filtered log as CSV, one line per changed field; returns false when access is denied.</summary>
    public async Task<bool> ExportCsvAsync(CallerContext caller, AuditFilter filter, Stream output, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is not { } profile)
        {
            return false;
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var query = await VisibleAsync(db, profile, filter, ct);
        await using var csv = CsvWriter.Create(output);
        await csv.WriteRowAsync(l["Audit.Column.Time"], l["Audit.Column.Actor"], l["Audit.Column.Address"], l["Audit.Column.Action"],
            l["Audit.Column.Subject"], l["Audit.Column.Field"], l["Audit.Column.Before"], l["Audit.Column.After"]);
        await foreach (var r in query.AsAsyncEnumerable().WithCancellation(ct))
        {
            var time = r.OccurredUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
            var action = l[$"Audit.Action.{r.Action}"].Value;
            if (r.Changes.Count == 0)
            {
                await csv.WriteRowAsync(time, r.ActorName, r.ClientAddress, action, r.Subject, null, null, null);
            }

            foreach (var c in r.Changes)
            {
                await csv.WriteRowAsync(time, r.ActorName, r.ClientAddress, action, r.Subject, AuditText.Field(l, c), c.Before, c.After);
            }
        }

        return true;
    }

    /// <summary>The employees that may appear in the who/whom filters (the main account only to itself).</summary>
    public async Task<IReadOnlyList<ProjectRef>> PeopleAsync(CallerContext caller, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is not { } profile)
        {
            return [];
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        return await db.Employees.Where(e => profile.IsMain || !e.IsMain).OrderBy(e => e.SortName)
            .Select(e => new ProjectRef(e.Id, e.Name)).ToListAsync(ct);
    }

    private static async Task<IQueryable<AuditRecord>> VisibleAsync(LptrackerDbContext db, CallerProfile profile, AuditFilter f, CancellationToken ct)
    {
        var q = db.AuditRecords.AsNoTracking();
        if (!profile.IsMain)
        {
            var mainId = await db.Employees.Where(e => e.IsMain).Select(e => e.Id).FirstOrDefaultAsync(ct);
            q = q.Where(r => r.TargetEmployeeId == null || r.TargetEmployeeId != mainId);
            if (!profile.Has(CommonSections.Telephony))
            {
                q = q.Where(r => r.TargetEmployeeId != null || r.ProjectId != null);
            }

            // CRM records (contacts, leads, imports) only of projects where the viewer holds their section.
            var sections = await db.Memberships.Where(m => m.EmployeeId == profile.EmployeeId && m.HasAccess)
                .Select(m => new { m.ProjectId, m.Sections }).ToListAsync(ct);
            var contactProjects = sections.Where(m => (m.Sections & ProjectSections.Contacts) != 0).Select(m => m.ProjectId).ToList();
            var leadProjects = sections.Where(m => (m.Sections & (ProjectSections.Leads | ProjectSections.Deals)) != 0).Select(m => m.ProjectId).ToList();
            var contactActions = CrmAudit.ContactActions;
            q = q.Where(r => r.ProjectId == null
                || (contactActions.Contains(r.Action) ? contactProjects.Contains(r.ProjectId.Value) : leadProjects.Contains(r.ProjectId.Value)));
        }

        if (f.ActorId is { } actor)
        {
            q = q.Where(r => r.ActorEmployeeId == actor);
        }

        if (f.TargetId is { } target)
        {
            q = q.Where(r => r.TargetEmployeeId == target);
        }

        if (f.Action is { } action)
        {
            q = q.Where(r => r.Action == action);
        }

        if (f.FromUtc is { } from)
        {
            q = q.Where(r => r.OccurredUtc >= from);
        }

        if (f.ToUtc is { } to)
        {
            q = q.Where(r => r.OccurredUtc <= to);
        }

        return q.OrderByDescending(r => r.OccurredUtc).ThenByDescending(r => r.Id);
    }
}
