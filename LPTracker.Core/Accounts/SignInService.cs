using LPTracker.Core.Employees;
using LPTracker.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Core.Accounts;

/// <summary>The outcome of a sign-in attempt.</summary>
public enum SignInStatus
{
    Succeeded,
    InvalidCredentials,
    LockedOut,
}

/// <summary>A sign-in attempt's outcome; <see cref="Employee"/> is set on success.</summary>
public sealed record SignInResult(SignInStatus Status, SignedInEmployee? Employee = null, DateTime? LockedUntilUtc = null);

/// <summary>
/// Password sign-in with lockout: <see cref="MaxFailures"/> wrong passwords from one client address lock the login for
/// that address for <see cref="LockoutDuration"/> (<see cref="SignInThrottle"/>). Unknown logins answer exactly like
/// known ones — same statuses, same lock, and the same hashing work, locked or not — so a stranger learns nothing
/// about which logins exist.
/// </summary>
public sealed class SignInService(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    IPasswordHasher<Employee> hasher,
    SignInThrottle throttle,
    TimeProvider time)
{
    public const int MaxFailures = 5;

    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<Employee>().HashPassword(new Employee(), "dummy-password-1"));

    /// <summary>Checks the password; <paramref name="clientAddress"/> is the caller's IP address (lockout is per address).</summary>
    public async Task<SignInResult> SignInAsync(string? login, string? password, string? clientAddress = null, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(login) || string.IsNullOrEmpty(password) || login.Length > Limits.Email
            || password.Length > Limits.PasswordMax)
        {
            return new SignInResult(SignInStatus.InvalidCredentials);
        }

        var normalized = LoginRules.Normalize(login);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var employee = await db.Employees.IgnoreQueryFilters().SingleOrDefaultAsync(e => e.NormalizedLogin == normalized, ct);
        if (throttle.LockedUntil(normalized, clientAddress) is { } locked)
        {
            // The same hashing work as any other answer: a locked login must not answer faster.
            hasher.VerifyHashedPassword(new Employee(), DummyHash.Value, password);
            return new SignInResult(SignInStatus.LockedOut, LockedUntilUtc: locked);
        }

        var verdict = PasswordVerificationResult.Failed;
        if (employee is null)
        {
            // An unknown login never succeeds, but costs the same hashing work as a known one.
            hasher.VerifyHashedPassword(new Employee(), DummyHash.Value, password);
        }
        else
        {
            verdict = hasher.VerifyHashedPassword(employee, employee.PasswordHash, password);
        }

        if (verdict == PasswordVerificationResult.Failed)
        {
            var lockedUntil = throttle.Fail(normalized, clientAddress);
            if (employee is not null)
            {
                // The audit record is written off the answer's path: a known login must not answer slower.
                _ = RecordFailureAsync(employee.AccountId, employee.Id, employee.Name, lockedUntil is not null);
            }

            return lockedUntil is { } until
                ? new SignInResult(SignInStatus.LockedOut, LockedUntilUtc: until)
                : new SignInResult(SignInStatus.InvalidCredentials);
        }

        db.TenantAccountId = employee!.AccountId;
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            employee.PasswordHash = hasher.HashPassword(employee, password);
        }

        throttle.Succeeded(normalized, clientAddress);
        employee.LastLoginUtc = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return new SignInResult(SignInStatus.Succeeded, SignedInEmployee.From(employee));
    }

    /// <summary>
    /// Ends every session of the employee (a new security stamp): a copied cookie stops working after sign-out too
    /// (decision 0009). Returns false when the employee no longer exists.
    /// </summary>
    public async Task<bool> SignOutEverywhereAsync(int employeeId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stamp = Guid.NewGuid().ToString("N");
        return await db.Employees.IgnoreQueryFilters().Where(e => e.Id == employeeId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.SecurityStamp, stamp), ct) > 0;
    }

    /// <summary>True while the employee exists and its security stamp is unchanged (session revalidation).</summary>
    public async Task<bool> IsSessionValidAsync(int employeeId, string? stamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return stamp is not null && await db.Employees.IgnoreQueryFilters()
            .AnyAsync(e => e.Id == employeeId && e.SecurityStamp == stamp, ct);
    }

    /// <summary>The failed sign-in (or the lock-out it caused) in the employee's audit log.</summary>
    private async Task RecordFailureAsync(int accountId, int employeeId, string name, bool lockedOut)
    {
        try
        {
            await using var db = await dbFactory.ForTenantAsync(accountId);
            LPTracker.Core.Audit.ManualAudit.Add(db, accountId,
                lockedOut ? LPTracker.Core.Audit.AuditAction.LockedOut : LPTracker.Core.Audit.AuditAction.SignInFailed, employeeId, name);
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            // The employee was deleted meanwhile: there is nobody to record the attempt for.
        }
    }
}
