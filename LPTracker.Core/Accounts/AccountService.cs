using FluentValidation;
using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Projects;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Accounts;

/// <summary>Sign-up: an account, its main account (login = e-mail) and a first project, in one transaction.</summary>
public sealed class AccountService(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    IValidator<SignUpRequest> validator,
    IPasswordHasher<Employee> hasher,
    TimeProvider time,
    IStringLocalizer<AccountService> l)
{
    /// <summary>The name of the project created at sign-up.</summary>
    public const string FirstProjectName = "Проект 1";

    /// <summary>Creates the account; on success returns the main account's employee id.</summary>
    public async Task<OperationResult<SignedInEmployee>> SignUpAsync(SignUpRequest request, CancellationToken ct = default)
    {
        var validation = await validator.ValidateAsync(request, ct);
        if (!validation.IsValid)
        {
            return OperationResult<SignedInEmployee>.Fail(validation);
        }

        var email = request.Email.Trim();
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var normalized = LoginRules.Normalize(email);
            if (await db.Employees.IgnoreQueryFilters().AnyAsync(e => e.NormalizedLogin == normalized, ct))
            {
                return OperationResult<SignedInEmployee>.Fail(nameof(SignUpRequest.Email), l["SignUp.EmailTaken"]);
            }

            var highest = await db.Accounts.IgnoreQueryFilters().MaxAsync(a => (int?)a.Number, ct);
            try
            {
                // Sign-up signs the owner in: their first login is now, not «никогда».
                var main = await CreateAsync(db, AccountNumbers.Next(highest), request.CompanyName.Trim(), email,
                    request.Password, signsIn: true, ct);
                return OperationResult<SignedInEmployee>.Ok(SignedInEmployee.From(main));
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation() && attempt < 5)
            {
                // Another sign-up took the same number (or e-mail) between our read and write: look again.
            }
        }
    }

    /// <summary>False on a fresh installation: the console then opens on sign-up rather than sign-in.</summary>
    public async Task<bool> HasAnyAccountAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Accounts.IgnoreQueryFilters().AnyAsync(ct);
    }

    /// <summary>Creates an account with the given number; used by sign-up and by the demo seed.</summary>
    internal async Task<Employee> CreateAsync(
        LptrackerDbContext db, int number, string company, string email, string password, bool signsIn, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var account = new Account { Number = number, CompanyName = company, CreatedUtc = now };
        db.Accounts.Add(account);
        await db.SaveChangesAsync(ct);

        var project = new Project { AccountId = account.Id, Name = FirstProjectName, CreatedUtc = now };
        db.Projects.Add(project);
        await db.SaveChangesAsync(ct);

        var main = new Employee
        {
            AccountId = account.Id,
            IsMain = true,
            Name = email[..email.IndexOf('@', StringComparison.Ordinal)],
            Login = email,
            Email = email,
            CommonSections = CommonSections.All,
            Permissions = EmployeePermissions.All,
            CreatedUtc = now,
            LastLoginUtc = signsIn ? now : null,
            CurrentProjectId = project.Id,
        };
        main.PasswordHash = hasher.HashPassword(main, password);
        main.RefreshSearchText();
        main.Memberships.Add(new ProjectMembership
        {
            ProjectId = project.Id, AccountId = account.Id, HasAccess = true, TakesCalls = true,
            Sections = ProjectSections.All,
        });
        db.Employees.Add(main);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return main;
    }
}

/// <summary>What the cookie carries about a signed-in employee.</summary>
public sealed record SignedInEmployee(int AccountId, int EmployeeId, string Name, string SecurityStamp)
{
    public static SignedInEmployee From(Employee e) => new(e.AccountId, e.Id, e.Name, e.SecurityStamp);
}
