using LPTracker.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Core.Crm;

/// <summary>A CRM row edited through a form: an app-managed concurrency token (SQLite cannot generate one).</summary>
internal interface IVersioned
{
    int Id { get; }

    Guid Version { get; set; }
}

/// <summary>
/// The last step of every CRM save: add a new row, or hold an edited one to the version its form was read at and give
/// it a new one; then save. A row another save changed in between is not overwritten: the later save is told
/// (the conflict message) and nothing is written — no lost update.
/// </summary>
internal static class VersionedSave
{
    public static async Task<OperationResult<int>> SaveAsync<T>(
        LptrackerDbContext db, T row, Guid formVersion, Func<string> conflict, CancellationToken ct)
        where T : class, IVersioned
    {
        if (row.Id == 0)
        {
            db.Add(row);
        }
        else
        {
            db.Entry(row).Property(nameof(IVersioned.Version)).OriginalValue = formVersion;
            row.Version = Guid.NewGuid();
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return OperationResult<int>.Fail("", conflict());
        }

        return OperationResult<int>.Ok(row.Id);
    }
}
