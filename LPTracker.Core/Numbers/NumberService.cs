using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Projects;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Numbers;

/// <summary>
/// A row of Virtual PBX → Numbers: the number, its project and where it is in use — the employees that show it on
/// direct calls (<c>DisplayedFor</c>) and the projects whose single number it is (<c>SingleFor</c>).
/// </summary>
public sealed record NumberRow(int Id, string E164, int? ProjectId, IReadOnlyList<string> DisplayedFor, IReadOnlyList<string> SingleFor)
{
    public string Display => PhoneRules.Display(E164);

    public bool InUse => DisplayedFor.Count > 0 || SingleFor.Count > 0;
}

/// <summary>The Numbers page: the account's numbers and the projects they can be bound to.</summary>
public sealed record NumbersPage(IReadOnlyList<NumberRow> Numbers, IReadOnlyList<ProjectRef> Projects);

/// <summary>
/// Virtual PBX → Numbers (Telephony section): list, add, bind to a project, remove. A number is unique
/// deployment-wide (an incoming call must reach one account), and one in use cannot be removed.
/// </summary>
public sealed class NumberService(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    AccessService access,
    AddNumberValidator validator,
    TimeProvider time,
    IStringLocalizer<NumberService> l)
{
    public async Task<OperationResult<NumbersPage>> ListAsync(CallerContext caller, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Telephony, ct) is null)
        {
            return OperationResult<NumbersPage>.Fail("", l["Access.Denied"]);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var numbers = await db.Numbers.AsNoTracking().OrderBy(n => n.E164).ToListAsync(ct);
        var displayed = await db.Employees.AsNoTracking().Where(e => e.DisplayedNumberId != null)
            .Select(e => new { Id = e.DisplayedNumberId!.Value, e.Name }).ToListAsync(ct);
        var single = await db.Projects.AsNoTracking().Where(p => p.SingleNumberId != null)
            .Select(p => new { Id = p.SingleNumberId!.Value, p.Name }).ToListAsync(ct);
        var projects = await db.Projects.AsNoTracking().OrderBy(p => p.Id).Select(p => new ProjectRef(p.Id, p.Name)).ToListAsync(ct);
        var rows = numbers.Select(n => new NumberRow(n.Id, n.E164, n.ProjectId,
            displayed.Where(d => d.Id == n.Id).Select(d => d.Name).Order(StringComparer.CurrentCulture).ToList(),
            single.Where(s => s.Id == n.Id).Select(s => s.Name).ToList())).ToList();
        return OperationResult<NumbersPage>.Ok(new NumbersPage(rows, projects));
    }

    /// <summary>Adds a number (any format; stored as E.164), optionally bound to a project.</summary>
    public async Task<OperationResult<int>> AddAsync(CallerContext caller, AddNumberRequest request, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Telephony, ct) is null)
        {
            return OperationResult<int>.Fail("", l["Access.Denied"]);
        }

        var validation = await validator.ValidateAsync(request, ct);
        if (!validation.IsValid)
        {
            return OperationResult<int>.Fail(validation);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var e164 = PhoneRules.Normalize(request.Number)!;
        if (request.ProjectId is { } projectId && !await db.Projects.AnyAsync(p => p.Id == projectId, ct))
        {
            return OperationResult<int>.Fail(nameof(AddNumberRequest.ProjectId), l["Projects.NotFound"]);
        }

        if (await db.Numbers.AnyAsync(n => n.E164 == e164, ct))
        {
            return OperationResult<int>.Fail(nameof(AddNumberRequest.Number), l["Pbx.NumberExists"]);
        }

        if (await db.Numbers.IgnoreQueryFilters().AnyAsync(n => n.E164 == e164, ct))
        {
            return OperationResult<int>.Fail(nameof(AddNumberRequest.Number), l["Pbx.NumberTaken"]);
        }

        var owner = await db.Employees.Where(e => e.Phone == e164).Select(e => e.Name).FirstOrDefaultAsync(ct);
        if (owner is not null)
        {
            return OperationResult<int>.Fail(nameof(AddNumberRequest.Number), l["Pbx.NumberIsEmployeePhone", owner]);
        }

        var number = new VirtualNumber
        {
            AccountId = caller.AccountId, E164 = e164, ProjectId = request.ProjectId, CreatedUtc = time.GetUtcNow().UtcDateTime,
        };
        db.Numbers.Add(number);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return OperationResult<int>.Fail(nameof(AddNumberRequest.Number), l["Pbx.NumberExists"]);
        }

        return OperationResult<int>.Ok(number.Id);
    }

    /// <summary>Binds a number to a project of the account, or unbinds it (null).</summary>
    public async Task<OperationResult> BindAsync(CallerContext caller, int numberId, int? projectId, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Telephony, ct) is null)
        {
            return OperationResult.Fail("", l["Access.Denied"]);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var number = await db.Numbers.SingleOrDefaultAsync(n => n.Id == numberId, ct);
        if (number is null)
        {
            return OperationResult.Fail("", l["Pbx.NumberNotFound"]);
        }

        if (projectId is { } id && !await db.Projects.AnyAsync(p => p.Id == id, ct))
        {
            return OperationResult.Fail(nameof(AddNumberRequest.ProjectId), l["Projects.NotFound"]);
        }

        number.ProjectId = projectId;
        await db.SaveChangesAsync(ct);
        return OperationResult.Ok();
    }

    /// <summary>Removes a number unless it is someone's displayed number or a project's single number.</summary>
    public async Task<OperationResult> RemoveAsync(CallerContext caller, int numberId, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Telephony, ct) is null)
        {
            return OperationResult.Fail("", l["Access.Denied"]);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var number = await db.Numbers.SingleOrDefaultAsync(n => n.Id == numberId, ct);
        if (number is null)
        {
            return OperationResult.Fail("", l["Pbx.NumberNotFound"]);
        }

        var employees = await db.Employees.Where(e => e.DisplayedNumberId == numberId).OrderBy(e => e.SortName).Select(e => e.Name).ToListAsync(ct);
        var projects = await db.Projects.Where(p => p.SingleNumberId == numberId).OrderBy(p => p.Id).Select(p => p.Name).ToListAsync(ct);
        if (employees.Count > 0 || projects.Count > 0)
        {
            var uses = new List<string>();
            if (employees.Count > 0)
            {
                uses.Add(l["Pbx.UsedAsDisplayed", string.Join(", ", employees)]);
            }

            if (projects.Count > 0)
            {
                uses.Add(l["Pbx.UsedAsSingle", string.Join(", ", projects)]);
            }

            return OperationResult.Fail("", l["Pbx.NumberInUse", PhoneRules.Display(number.E164), string.Join("; ", uses)]);
        }

        db.Numbers.Remove(number);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Someone chose the number as a displayed number between our check and the delete (FK is Restrict).
            return OperationResult.Fail("", l["Pbx.NumberInUse", PhoneRules.Display(number.E164), ""]);
        }

        return OperationResult.Ok();
    }
}
