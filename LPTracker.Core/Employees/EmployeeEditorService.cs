using LPTracker.Core.Accounts;
using LPTracker.Core.Live;
using LPTracker.Core.Numbers;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Employees;

/// <summary>
/// The employee editor: loads an employee's five blocks, creates and saves employees. Requires the Employees
/// section; re-checks every rule on the server (nobody grants what they lack, numbers and projects must be the
/// account's own, a stale save is a conflict), and publishes Created/Updated so open lists refresh.
/// </summary>
public sealed class EmployeeEditorService(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    AccessService access,
    EmployeeFormValidator validator,
    EmployeeGrantRules grantRules,
    EmployeeRankRules rankRules,
    IPasswordHasher<Employee> hasher,
    PhotoService photos,
    ChangeNotifier notifier,
    TimeProvider time,
    IStringLocalizer<EmployeeEditorService> l)
{
    /// <summary>
    /// The editor for a new employee: empty profile, no rights, a row per project. Access to the caller's current
    /// project and taking calls there are ticked (when the caller may grant them), so the new employee shows in the
    /// «Проект» list the caller is looking at instead of only under «Все».
    /// </summary>
    public async Task<OperationResult<EmployeeEditorModel>> NewAsync(CallerContext caller, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is not { } profile)
        {
            return OperationResult<EmployeeEditorModel>.Fail("", l["Access.Denied"]);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var projects = await AccessService.VisibleProjects(db, profile.EmployeeId, profile.IsMain).ToListAsync(ct);
        var form = new EmployeeForm
        {
            Projects = projects.Select(p => new ProjectAccessForm { ProjectId = p.Id, ProjectName = p.Name }).ToList(),
        };
        var model = await ModelAsync(db, profile, null, form, false, ct);
        if (form.Projects.FirstOrDefault(p => p.ProjectId == profile.CurrentProject?.Id) is { } current
            && model.Grants.CanGrantAccess(current.ProjectId))
        {
            current.HasAccess = true;
            current.TakesCalls = true;
        }

        return OperationResult<EmployeeEditorModel>.Ok(model);
    }

    /// <summary>The editor for an existing employee; the main account's page is open to the main account only.</summary>
    public async Task<OperationResult<EmployeeEditorModel>> GetAsync(CallerContext caller, int employeeId, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is not { } profile)
        {
            return OperationResult<EmployeeEditorModel>.Fail("", l["Access.Denied"]);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var employee = await db.Employees.AsNoTracking().Include(e => e.Memberships).SingleOrDefaultAsync(e => e.Id == employeeId, ct);
        if (employee is null)
        {
            return OperationResult<EmployeeEditorModel>.Fail("", l["Employee.NotFound"]);
        }

        if (employee.IsMain && !profile.IsMain)
        {
            return OperationResult<EmployeeEditorModel>.Fail("", l["Employee.MainOnlyByMain"]);
        }

        return OperationResult<EmployeeEditorModel>.Ok(await CurrentAsync(db, profile, employee, ct));
    }

    /// <summary>Creates an employee from the form; returns its id.</summary>
    public async Task<EmployeeSaveResult> CreateAsync(CallerContext caller, EmployeeForm form, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is not { } profile)
        {
            return EmployeeSaveResult.Failed("", l["Access.Denied"]);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var number = await db.Accounts.Select(a => a.Number).SingleAsync(ct);
        var check = await CheckAsync(db, profile, form, null, number, ct);
        if (check.Errors.Count > 0)
        {
            return EmployeeSaveResult.Failed(check.Errors);
        }

        var employee = new Employee
        {
            AccountId = caller.AccountId,
            CreatedUtc = time.GetUtcNow().UtcDateTime,
            Version = Guid.NewGuid(),
        };
        Apply(employee, form, check);
        // Invited instead: no password at all (an empty hash verifies nothing) until the link sets one.
        employee.PasswordHash = form.SendInvitation ? "" : hasher.HashPassword(employee, form.Password!);
        employee.CommonSections = form.CommonSections;
        employee.Permissions = form.Permissions;
        employee.Memberships = form.Projects.Where(p => p.HasAccess || p.TakesCalls || p.Sections != ProjectSections.None)
            .Select(p => new ProjectMembership
            {
                ProjectId = p.ProjectId, AccountId = caller.AccountId, HasAccess = p.HasAccess, TakesCalls = p.TakesCalls,
                Sections = p.Sections,
            }).ToList();
        employee.CurrentProjectId = employee.Memberships.Where(m => m.HasAccess).Select(m => (int?)m.ProjectId).Min();
        db.Employees.Add(employee);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return EmployeeSaveResult.Failed(nameof(EmployeeForm.LoginSuffix), l["Employee.LoginTaken"]);
        }

        notifier.Publish(new EmployeeChange(caller.AccountId, employee.Id, EmployeeChangeKind.Created));
        return EmployeeSaveResult.Saved(employee.Id, employee.Version);
    }

    /// <summary>
    /// Saves an employee. When someone else saved it since <see cref="EmployeeForm.Version"/> was loaded, nothing is
    /// written and the result carries the current values.
    /// </summary>
    public async Task<EmployeeSaveResult> UpdateAsync(CallerContext caller, int employeeId, EmployeeForm form, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is not { } profile)
        {
            return EmployeeSaveResult.Failed("", l["Access.Denied"]);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var employee = await db.Employees.Include(e => e.Memberships).SingleOrDefaultAsync(e => e.Id == employeeId, ct);
        if (employee is null)
        {
            return EmployeeSaveResult.Failed("", l["Employee.NotFound"]);
        }

        if (employee.IsMain && !profile.IsMain)
        {
            return EmployeeSaveResult.Failed("", l["Employee.MainOnlyByMain"]);
        }

        // Whoever cannot match the employee's rights may not change their password or login (or anything else).
        if (await rankRules.CheckAsync(db, profile, employee, ct) is { } outranked)
        {
            return EmployeeSaveResult.Failed("", outranked);
        }

        if (employee.Version != form.Version)
        {
            return await ConflictAsync(profile, employeeId, ct);
        }

        var number = await db.Accounts.Select(a => a.Number).SingleAsync(ct);
        var check = await CheckAsync(db, profile, form, employee, number, ct);
        if (check.Errors.Count > 0)
        {
            return EmployeeSaveResult.Failed(check.Errors);
        }

        var oldPhoto = employee.PhotoFile;
        var callSettingsChanged = employee.CallReceiving != form.CallReceiving;
        Apply(employee, form, check);
        if (!string.IsNullOrEmpty(form.Password))
        {
            employee.PasswordHash = hasher.HashPassword(employee, form.Password);
            employee.SecurityStamp = Guid.NewGuid().ToString("N");
        }

        if (employee.IsMain)
        {
            ApplyMainTakesCalls(employee, form);
        }
        else
        {
            ApplyAccess(employee, form);
        }

        // The token is app-managed: the UPDATE matches the version the editor loaded, then stores a new one.
        db.Entry(employee).Property(e => e.Version).OriginalValue = form.Version;
        employee.Version = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return await ConflictAsync(profile, employeeId, ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return EmployeeSaveResult.Failed(employee.IsMain ? nameof(EmployeeForm.Email) : nameof(EmployeeForm.LoginSuffix), l["Employee.LoginTaken"]);
        }

        if (oldPhoto != employee.PhotoFile)
        {
            photos.Delete(oldPhoto);
        }

        notifier.Publish(new EmployeeChange(caller.AccountId, employee.Id, EmployeeChangeKind.Updated));
        if (callSettingsChanged)
        {
            notifier.Publish(new EmployeeChange(caller.AccountId, employee.Id, EmployeeChangeKind.SipStatus));
        }

        return EmployeeSaveResult.Saved(employee.Id, employee.Version);
    }

    /// <summary>Field rules, then the rules that need the database; returns the normalised values.</summary>
    private async Task<CheckedValues> CheckAsync(
        LptrackerDbContext db, CallerProfile profile, EmployeeForm form, Employee? existing, int accountNumber, CancellationToken ct)
    {
        var numbers = await db.Numbers.AsNoTracking().Select(n => new VirtualNumberRef(n.Id, n.E164, n.ProjectId)).ToListAsync(ct);
        var isMain = existing?.IsMain == true;
        var rules = new EmployeeRuleContext(existing is null, isMain, numbers.Select(n => n.E164).ToHashSet(StringComparer.Ordinal));
        var validation = await validator.ValidateAsync(form, rules, ct);
        if (!validation.IsValid)
        {
            return new CheckedValues(validation.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage)).ToList(), "");
        }

        var errors = new List<FieldError>();
        if (form.DisplayedNumberId is { } numberId && numbers.All(n => n.Id != numberId))
        {
            errors.Add(new(nameof(EmployeeForm.DisplayedNumberId), l["Employee.DisplayedNumberNotFound"]));
        }

        if (form.PhotoFile is not null && form.PhotoFile != existing?.PhotoFile && !photos.IsStored(form.PhotoFile))
        {
            errors.Add(new(nameof(EmployeeForm.PhotoFile), l["Photo.NotImage"]));
        }

        var login = isMain ? form.Email!.Trim() : LoginRules.Compose(accountNumber, form.LoginSuffix);
        var normalized = LoginRules.Normalize(login);
        var ownId = existing?.Id ?? 0;
        if (await db.Employees.IgnoreQueryFilters().AnyAsync(e => e.NormalizedLogin == normalized && e.Id != ownId, ct))
        {
            errors.Add(new(isMain ? nameof(EmployeeForm.Email) : nameof(EmployeeForm.LoginSuffix), l["Employee.LoginTaken"]));
        }

        if (!isMain)
        {
            errors.AddRange(await grantRules.CheckAsync(db, profile, form, existing, ct));
        }

        return new CheckedValues(errors, login);
    }

    private static void Apply(Employee employee, EmployeeForm form, CheckedValues values)
    {
        employee.Name = form.Name.Trim();
        employee.Login = values.Login;
        employee.Phone = PhoneRules.Normalize(form.Phone);
        employee.Email = string.IsNullOrWhiteSpace(form.Email) ? null : form.Email.Trim();
        employee.Position = string.IsNullOrWhiteSpace(form.Position) ? null : form.Position.Trim();
        employee.DisplayedNumberId = form.DisplayedNumberId;
        employee.PhotoFile = form.PhotoFile;
        employee.CallReceiving = form.CallReceiving;
        employee.SimNumber = form.CallReceiving == CallReceivingMethod.Sim ? PhoneRules.Normalize(form.SimNumber) : null;
        employee.HideClientNumber = form.HideClientNumber;
        employee.PopUpContactCard = form.PopUpContactCard;
        employee.RefreshSearchText();
    }

    /// <summary>Common sections, permissions and per-project rows; projects missing from the form are left alone.</summary>
    private static void ApplyAccess(Employee employee, EmployeeForm form)
    {
        employee.CommonSections = form.CommonSections;
        employee.Permissions = form.Permissions;
        foreach (var row in form.Projects)
        {
            var membership = employee.Memberships.FirstOrDefault(m => m.ProjectId == row.ProjectId);
            if (membership is null)
            {
                membership = new ProjectMembership { EmployeeId = employee.Id, ProjectId = row.ProjectId, AccountId = employee.AccountId };
                employee.Memberships.Add(membership);
            }

            membership.HasAccess = row.HasAccess;
            membership.TakesCalls = row.TakesCalls;
            membership.Sections = row.Sections;
        }

        if (employee.CurrentProjectId is { } current && !employee.Memberships.Any(m => m.ProjectId == current && m.HasAccess))
        {
            employee.CurrentProjectId = employee.Memberships.Where(m => m.HasAccess).Select(m => (int?)m.ProjectId).Min();
        }
    }

    /// <summary>
    /// The main account keeps every section and project; the one thing set per project on its page is whether it
    /// takes calls there (the article's "Working in one project, Not working in another").
    /// </summary>
    private static void ApplyMainTakesCalls(Employee main, EmployeeForm form)
    {
        foreach (var row in form.Projects)
        {
            var membership = main.Memberships.FirstOrDefault(m => m.ProjectId == row.ProjectId);
            if (membership is null)
            {
                membership = new ProjectMembership
                {
                    EmployeeId = main.Id, ProjectId = row.ProjectId, AccountId = main.AccountId, HasAccess = true,
                    Sections = ProjectSections.All,
                };
                main.Memberships.Add(membership);
            }

            membership.TakesCalls = row.TakesCalls;
        }
    }

    private async Task<EmployeeSaveResult> ConflictAsync(CallerProfile profile, int employeeId, CancellationToken ct)
    {
        await using var db = await dbFactory.ForTenantAsync(profile.AccountId, ct);
        var current = await db.Employees.AsNoTracking().Include(e => e.Memberships).SingleOrDefaultAsync(e => e.Id == employeeId, ct);
        return current is null
            ? EmployeeSaveResult.Failed("", l["Employee.NotFound"])
            : EmployeeSaveResult.Conflict(l["Employee.Conflict"], await CurrentAsync(db, profile, current, ct));
    }

    private async Task<EmployeeEditorModel> CurrentAsync(LptrackerDbContext db, CallerProfile profile, Employee employee, CancellationToken ct)
    {
        var number = await db.Accounts.Select(a => a.Number).SingleAsync(ct);
        // Rows only for projects the caller can open: others' names are not its business, and a save leaves rows
        // missing from the form alone.
        var projects = await AccessService.VisibleProjects(db, profile.EmployeeId, profile.IsMain).ToListAsync(ct);
        var form = new EmployeeForm
        {
            Version = employee.Version,
            PhotoFile = employee.PhotoFile,
            Name = employee.Name,
            LoginSuffix = employee.IsMain ? "" : LoginRules.SuffixOf(number, employee.Login) ?? employee.Login,
            Phone = string.IsNullOrEmpty(employee.Phone) ? employee.Phone : PhoneRules.Display(employee.Phone),
            Email = employee.Email,
            Position = employee.Position,
            DisplayedNumberId = employee.DisplayedNumberId,
            CallReceiving = employee.CallReceiving,
            SimNumber = employee.SimNumber,
            HideClientNumber = employee.HideClientNumber,
            PopUpContactCard = employee.PopUpContactCard,
            CommonSections = employee.IsMain ? CommonSections.All : employee.CommonSections,
            Permissions = employee.IsMain ? EmployeePermissions.All : employee.Permissions,
            Projects = projects.Select(p =>
            {
                var m = employee.Memberships.FirstOrDefault(x => x.ProjectId == p.Id);
                return new ProjectAccessForm
                {
                    ProjectId = p.Id, ProjectName = p.Name, HasAccess = m?.HasAccess ?? false, TakesCalls = m?.TakesCalls ?? false,
                    Sections = m?.Sections ?? ProjectSections.None,
                };
            }).ToList(),
        };
        var hasSip = await db.SipAccounts.AnyAsync(s => s.EmployeeId == employee.Id, ct);
        return await ModelAsync(db, profile, employee, form, hasSip, ct);
    }

    private static async Task<EmployeeEditorModel> ModelAsync(
        LptrackerDbContext db, CallerProfile profile, Employee? employee, EmployeeForm form, bool hasSip, CancellationToken ct)
    {
        var number = await db.Accounts.Select(a => a.Number).SingleAsync(ct);
        var numbers = await db.Numbers.AsNoTracking().OrderBy(n => n.E164)
            .Select(n => new VirtualNumberRef(n.Id, n.E164, n.ProjectId)).ToListAsync(ct);
        var mine = await db.Memberships.AsNoTracking().Where(m => m.EmployeeId == profile.EmployeeId).ToListAsync(ct);
        return new EmployeeEditorModel(employee?.Id, employee?.IsMain == true, LoginRules.Prefix(number), form, numbers,
            CallerGrants.For(profile, mine), employee?.Id == profile.EmployeeId, hasSip);
    }

    private sealed record CheckedValues(IReadOnlyList<FieldError> Errors, string Login);
}
