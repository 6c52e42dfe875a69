using System.Globalization;
using LPTracker.Core.Import;
using LPTracker.Core.Live;
using LPTracker.Core.Notifications;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Employees.Import;

/// <summary>
/// Employees from a CSV (UTF-8 or Windows-1251) or XLSX file: <see cref="DryRunAsync"/> reports every row's problems
/// and changes nothing; <see cref="ImportAsync"/> creates the employees in one transaction — all of them, or none when
/// a row fails, unless the administrator chose to import the valid rows. Needs the Employees section and the Import
/// permission. Created employees take calls in the projects named; they set their password through the invitation
/// (decision 0032). SIP data and invitations go through the editor's own handlers, after the commit.
/// </summary>
public sealed class EmployeeImport(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    AccessService access,
    TabularReader reader,
    EmployeeFormValidator validator,
    EmployeeGrantRules grantRules,
    IPasswordHasher<Employee> hasher,
    SipDataService sip,
    InvitationService invitations,
    IAdminNotifications notifications,
    ChangeNotifier notifier,
    TimeProvider time,
    IStringLocalizer<EmployeeImport> l)
{
    /// <summary>The largest file (50 MB) and the most rows one import takes.</summary>
    public static readonly TabularLimits Limits = TabularLimits.Default with { MaxRows = 10_000 };

    /// <summary>Reads and checks the file; nothing is written.</summary>
    public async Task<OperationResult<ImportReport>> DryRunAsync(CallerContext caller, Stream file, string fileName, CancellationToken ct = default)
    {
        var prepared = await PrepareAsync(caller, file, fileName, ct);
        if (!prepared.Succeeded)
        {
            return OperationResult<ImportReport>.From(prepared);
        }

        var (table, valid, errors) = prepared.Value!;
        return OperationResult<ImportReport>.Ok(new ImportReport(table.Format, table.Encoding, table.Rows.Count, valid.Count, errors));
    }

    /// <summary>Checks the file again (the database may have changed since the dry run) and creates the employees.</summary>
    public async Task<OperationResult<ImportReport>> ImportAsync(
        CallerContext caller, Stream file, string fileName, ImportOptions options, CancellationToken ct = default)
    {
        var prepared = await PrepareAsync(caller, file, fileName, ct);
        if (!prepared.Succeeded)
        {
            return OperationResult<ImportReport>.From(prepared);
        }

        var (table, valid, errors) = prepared.Value!;
        var report = new ImportReport(table.Format, table.Encoding, table.Rows.Count, valid.Count, errors);
        if ((errors.Count > 0 && !options.ImportValidRows) || valid.Count == 0)
        {
            return OperationResult<ImportReport>.Ok(report);
        }

        var created = await CreateAsync(caller, valid, ct);
        if (created is null)
        {
            return OperationResult<ImportReport>.Fail("", l["Import.Error.Conflict"]);
        }

        report = await FollowUpAsync(caller, created, options, report with { Created = created.Count }, ct);
        await notifications.RaiseAsync(caller.AccountId, NotificationKinds.ImportFinished, NotificationSubject.Of($"import:{Guid.NewGuid():N}"),
            fileName, created.Count.ToString(CultureInfo.InvariantCulture), (table.Rows.Count - created.Count).ToString(CultureInfo.InvariantCulture));
        return OperationResult<ImportReport>.Ok(report);
    }

    private async Task<OperationResult<(TabularTable Table, List<CheckedRow> Valid, List<ImportRowError> Errors)>> PrepareAsync(
        CallerContext caller, Stream file, string fileName, CancellationToken ct)
    {
        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is not { } me)
        {
            return OperationResult<(TabularTable, List<CheckedRow>, List<ImportRowError>)>.Fail("", l["Access.Denied"]);
        }

        if (!me.Has(EmployeePermissions.ImportData))
        {
            return OperationResult<(TabularTable, List<CheckedRow>, List<ImportRowError>)>.Fail("", l["Import.Error.NoPermission"]);
        }

        var read = await reader.ReadAsync(file, fileName, Limits, ct);
        if (!read.Succeeded)
        {
            return OperationResult<(TabularTable, List<CheckedRow>, List<ImportRowError>)>.From(read);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var (valid, errors) = await new ImportRowChecker(db, me, validator, grantRules, l).CheckAsync(read.Value!, ct);
        return OperationResult<(TabularTable, List<CheckedRow>, List<ImportRowError>)>.Ok((read.Value!, valid, errors));
    }

    /// <summary>
    /// Every valid row in one transaction (the audit interceptor writes each creation in it). One unknowable password
    /// hash serves the batch: hashing 10,000 passwords would take minutes, and nobody can sign in with it anyway.
    /// Null when a login was taken meanwhile: nothing was written.
    /// </summary>
    private async Task<List<(int Row, Employee Employee)>?> CreateAsync(CallerContext caller, List<CheckedRow> rows, CancellationToken ct)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var unknowable = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        string? hash = null;
        var created = new List<(int, Employee)>(rows.Count);
        foreach (var row in rows)
        {
            var employee = EmployeeEditorService.NewEmployee(caller.AccountId, now, row.Form, row.Login);
            employee.PasswordHash = hash ??= hasher.HashPassword(employee, unknowable);
            db.Employees.Add(employee);
            created.Add((row.Row, employee));
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return null;
        }

        // One change for the batch: open lists reload once, not ten thousand times.
        notifier.Publish(new EmployeeChange(caller.AccountId, null, EmployeeChangeKind.Created));

        return created;
    }

    /// <summary>SIP data and invitations per created employee, by their own handlers; a failure is reported, never undone.</summary>
    private async Task<ImportReport> FollowUpAsync(
        CallerContext caller, List<(int Row, Employee Employee)> created, ImportOptions options, ImportReport report, CancellationToken ct)
    {
        var followUps = new List<ImportRowError>();
        int sipIssued = 0, invited = 0;
        foreach (var (row, employee) in created)
        {
            if (options.GenerateSip)
            {
                var issued = await sip.GenerateAsync(caller, employee.Id, ct);
                if (issued.Succeeded)
                {
                    sipIssued++;
                }
                else
                {
                    followUps.Add(new(row, null, issued.Summary));
                }
            }

            if (options.SendInvitations && !string.IsNullOrEmpty(employee.Email))
            {
                var sent = await invitations.SendAsync(caller, employee.Id, options.LinkBase, ct);
                if (sent.Succeeded)
                {
                    invited++;
                }
                else
                {
                    followUps.Add(new(row, Bulk.EmployeeColumn.Email, sent.Summary));
                }
            }
        }

        return report with { SipIssued = sipIssued, Invited = invited, FollowUps = followUps };
    }
}
