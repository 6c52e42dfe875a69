using System.Diagnostics;
using System.Globalization;
using System.Text;
using LPTracker.Core;
using LPTracker.Core.Accounts;
using LPTracker.Core.Crm;
using LPTracker.Core.Import;
using LPTracker.Core.Leads;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// CRM import and export through the product's services on a real SQLite file:
//   import: a 10,000-row CSV read by TabularReader and written by CrmImport (contacts, then leads with new contacts);
//   export: 100,000 leads streamed to CSV and XLSX, managed heap sampled while the file is written.
var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var exportRows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var folder = Path.Combine(Path.GetTempPath(), "lpt-crm-io-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
try
{
    var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder });
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ConnectionStrings:Lptracker"] = $"Data Source={Path.Combine(folder, "bench.db")}",
        ["DataFolder"] = folder,
    });
    builder.Services.AddLogging();
    builder.AddCore();
    await using var services = builder.Services.BuildServiceProvider();
    await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
    var signUp = await services.GetRequiredService<AccountService>().SignUpAsync(
        new SignUpRequest { CompanyName = "ООО Бенч", Email = "bench@example.com", Password = "secret123" });
    var caller = new CallerContext(signUp.Value!.AccountId, signUp.Value.EmployeeId);

    foreach (var kind in new[] { ImportKind.Contacts, ImportKind.Leads })
    {
        var csv = new StringBuilder(kind == ImportKind.Contacts ? "Имя;Телефон;E-mail;Компания\n" : "Название;Имя;Телефон;Сумма;Дата шага\n");
        var offset = kind == ImportKind.Contacts ? 0 : 5_000_000;
        for (var i = 0; i < rows; i++)
        {
            var n = i + offset;
            csv.Append(kind == ImportKind.Contacts
                ? string.Create(CultureInfo.InvariantCulture, $"Контакт {n};+7900{n:D7};c{n}@example.com;ООО Ромашка {n % 97}\n")
                : string.Create(CultureInfo.InvariantCulture, $"Сделка {n};Клиент {n};+7900{n:D7};{n % 1000} 000,50;31.12.2026\n"));
        }

        var path = Path.Combine(folder, $"{kind}.csv");
        await File.WriteAllTextAsync(path, csv.ToString(), CodePagesEncodingProvider.Instance.GetEncoding(1251)!);
        var watch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        await using var file = File.OpenRead(path);
        var table = (await services.GetRequiredService<TabularReader>().ReadAsync(file, path)).Value!;
        var read = watch.Elapsed;
        var options = new ImportOptions(kind, ImportColumns.Suggest(kind, table.Headers), DuplicateMode.Skip, false, DryRun: false);
        var report = (await services.GetRequiredService<CrmImport>().RunAsync(caller, table, options)).Value!;
        Console.WriteLine($"import {kind,-8} {rows:N0} rows ({new FileInfo(path).Length / 1024:N0} KB, Windows-1251): read {read.TotalSeconds:F2} s, "
            + $"total {watch.Elapsed.TotalSeconds:F2} s, cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s; "
            + $"created {report.Created:N0}, rejected {report.Rejections.Count}, written {report.Written}");
    }

    // Export: top the leads up to exportRows with plain inserts, then stream them out.
    var factory = services.GetRequiredService<IDbContextFactory<LptrackerDbContext>>();
    await using (var db = await factory.ForTenantAsync(caller.AccountId))
    {
        var projectId = await db.Projects.Select(p => p.Id).FirstAsync();
        var stageId = await db.Stages.Where(s => s.ProjectId == projectId).OrderBy(s => s.Order).Select(s => s.Id).FirstAsync();
        var have = await db.Leads.CountAsync();
        for (var i = have; i < exportRows; i += 5_000)
        {
            db.ChangeTracker.Clear();
            db.Leads.AddRange(Enumerable.Range(i, Math.Min(5_000, exportRows - i)).Select(n => new Lead
            {
                AccountId = caller.AccountId, ProjectId = projectId, StageId = stageId, Title = $"Лид {n} =SUM(A1)", Amount = n,
                Source = "bench", CreatedUtc = DateTime.UtcNow, UpdatedUtc = DateTime.UtcNow, SearchText = $"лид {n}",
            }));
            await db.SaveChangesAsync();
        }
    }

    foreach (var format in new[] { ExportFormat.Csv, ExportFormat.Xlsx })
    {
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await using var sink = new SamplingSink();
        var watch = Stopwatch.StartNew();
        var result = await services.GetRequiredService<CrmExport>().WriteLeadsAsync(caller, new LeadListQuery(), format, sink);
        Console.WriteLine($"export {format,-4} {exportRows:N0} leads: {watch.Elapsed.TotalSeconds:F2} s, {sink.Length / 1024 / 1024.0:F1} MB written, ok={result.Succeeded}; "
            + $"managed heap before {before / 1024 / 1024} MB, while writing (every 2 MB of output): {string.Join(" ", sink.Samples.Select(s => s / 1024 / 1024))} MB");
    }
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(folder, recursive: true);
}

/// <summary>A write-only output (like an HTTP response) that samples the managed heap every 2 MB written.</summary>
internal sealed class SamplingSink : Stream
{
    private long _next = 2 * 1024 * 1024;

    public List<long> Samples { get; } = [];

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => Written;

    public long Written { get; private set; }

    public override long Position { get => Written; set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        Written += count;
        if (Written >= _next)
        {
            Samples.Add(GC.GetTotalMemory(forceFullCollection: false));
            _next += 2 * 1024 * 1024;
        }
    }
}
