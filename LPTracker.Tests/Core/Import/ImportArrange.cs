using System.Text;
using LPTracker.Core;
using LPTracker.Core.Import;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Core.Import;

/// <summary>Reads a CSV text through the product's <see cref="TabularReader"/> and imports it with the suggested mapping.</summary>
internal static class ImportArrange
{
    public static async Task<TabularTable> TableAsync(this CoreTestHost host, string csv, Encoding? encoding = null)
    {
        using var input = new MemoryStream((encoding ?? Encoding.UTF8).GetBytes(csv));
        var read = await host.Get<TabularReader>().ReadAsync(input, "import.csv");
        Assert.True(read.Succeeded, read.Summary);
        return read.Value!;
    }

    public static async Task<OperationResult<ImportReport>> ImportAsync(
        this CoreTestHost host, CallerContext caller, string csv, ImportKind kind = ImportKind.Contacts, bool dryRun = false,
        DuplicateMode duplicates = DuplicateMode.Skip, bool validRowsOnly = false, Encoding? encoding = null, TimeZoneInfo? zone = null)
    {
        var table = await host.TableAsync(csv, encoding);
        var options = new ImportOptions(kind, ImportColumns.Suggest(kind, table.Headers), duplicates, validRowsOnly, dryRun, zone);
        return await host.Get<CrmImport>().RunAsync(caller, table, options);
    }

    public static async Task<List<string>> ContactNamesAsync(this CoreTestHost host, CallerContext caller)
    {
        await using var db = await host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(caller.AccountId);
        return await db.Contacts.OrderBy(c => c.Id).Select(c => c.Name).ToListAsync();
    }
}
