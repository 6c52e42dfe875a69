using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LPTracker.Tests.Infrastructure;

/// <summary>
/// Counts the database commands EF Core creates (queries and writes alike), for tests that say a path reads nothing:
/// add it with <c>ConfigureDbContext&lt;LptrackerDbContext&gt;(o =&gt; o.AddInterceptors(counter))</c>.
/// </summary>
public sealed class CommandCounter : DbCommandInterceptor
{
    private int _count;

    /// <summary>Commands created since the start or the last <see cref="Reset"/>.</summary>
    public int Count => Volatile.Read(ref _count);

    public void Reset() => Interlocked.Exchange(ref _count, 0);

    public override DbCommand CommandCreated(CommandEndEventData eventData, DbCommand result)
    {
        Interlocked.Increment(ref _count);
        return result;
    }
}
