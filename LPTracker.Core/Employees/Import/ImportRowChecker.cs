using LPTracker.Core.Accounts;
using LPTracker.Core.Employees.Bulk;
using LPTracker.Core.Import;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Employees.Import;

/// <summary>A row that passed every rule, ready to be created.</summary>
internal sealed record CheckedRow(int Row, EmployeeForm Form, string Login);

/// <summary>
/// Turns the file's rows into employee forms and runs on each the editor's own rules: the field validator (name,
/// login format, e-mail, a real phone that is not one of the account's virtual numbers, receiving method) and the
/// grant rules (projects the caller may give). Then what only the whole file shows: a login twice in the file, or
/// already taken (logins are unique across all accounts).
/// </summary>
internal sealed class ImportRowChecker(
    LptrackerDbContext db,
    CallerProfile caller,
    EmployeeFormValidator validator,
    EmployeeGrantRules grantRules,
    IStringLocalizer l)
{
    /// <summary>The password every imported form carries for validation; its hash is set by the importer.</summary>
    public string Password { get; } = "Imp0rt-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public async Task<(List<CheckedRow> Valid, List<ImportRowError> Errors)> CheckAsync(TabularTable table, CancellationToken ct)
    {
        var errors = new List<ImportRowError>();
        var columns = ImportColumns.Map(table.Headers);
        foreach (var required in new[] { EmployeeColumn.Name, EmployeeColumn.Login }.Where(c => !columns.ContainsKey(c)))
        {
            errors.Add(new ImportRowError(1, required, l["Import.Error.MissingColumn", l[$"EmployeeFile.Column.{required}"]]));
        }

        if (errors.Count > 0)
        {
            return ([], errors);
        }

        var number = await db.Accounts.Select(a => a.Number).SingleAsync(ct);
        var virtualNumbers = (await db.Numbers.AsNoTracking().Select(n => n.E164).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var projects = await AccessService.VisibleProjects(db, caller.EmployeeId, caller.IsMain).ToListAsync(ct);
        var byName = projects.GroupBy(p => ImportColumns.Fold(p.Name)).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
        var rules = new EmployeeRuleContext(IsNew: true, IsMain: false, virtualNumbers);
        var grants = new Dictionary<string, IReadOnlyList<FieldError>>(StringComparer.Ordinal);
        var candidates = new List<CheckedRow>();
        foreach (var row in table.Rows)
        {
            ct.ThrowIfCancellationRequested();
            if (row.Error is not null)
            {
                errors.Add(new ImportRowError(row.Number, null, row.Error));
                continue;
            }

            string Cell(EmployeeColumn c) => columns.TryGetValue(c, out var i) ? row.Cell(i) : "";
            var rowErrors = new List<ImportRowError>();
            var form = new EmployeeForm
            {
                Name = Cell(EmployeeColumn.Name),
                LoginSuffix = LoginRules.SuffixOf(number, Cell(EmployeeColumn.Login)) ?? Cell(EmployeeColumn.Login),
                Password = Password,
                Email = NullIfEmpty(Cell(EmployeeColumn.Email)),
                Phone = NullIfEmpty(Cell(EmployeeColumn.Phone)),
                Position = NullIfEmpty(Cell(EmployeeColumn.Position)),
            };
            if (ImportColumns.Method(Cell(EmployeeColumn.Receiving)) is { } method)
            {
                form.CallReceiving = method;
            }
            else
            {
                rowErrors.Add(new(row.Number, EmployeeColumn.Receiving, l["Import.Error.UnknownMethod", Cell(EmployeeColumn.Receiving)]));
            }

            foreach (var name in Cell(EmployeeColumn.Projects).Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                // A project the caller cannot open reads as unknown: its existence is not the caller's business.
                if (byName.TryGetValue(ImportColumns.Fold(name), out var id))
                {
                    if (form.Projects.All(p => p.ProjectId != id))
                    {
                        form.Projects.Add(new ProjectAccessForm { ProjectId = id, HasAccess = true, TakesCalls = true });
                    }
                }
                else
                {
                    rowErrors.Add(new(row.Number, EmployeeColumn.Projects, l["Import.Error.UnknownProject", name]));
                }
            }

            var validation = await validator.ValidateAsync(form, rules, ct);
            rowErrors.AddRange(validation.Errors.Select(e => new ImportRowError(row.Number, ColumnOf(e.PropertyName), e.ErrorMessage)));
            if (rowErrors.Count == 0)
            {
                rowErrors.AddRange((await GrantErrorsAsync(form, grants, ct)).Select(e => new ImportRowError(row.Number, EmployeeColumn.Projects, e.Message)));
            }

            if (rowErrors.Count > 0)
            {
                errors.AddRange(rowErrors);
            }
            else
            {
                candidates.Add(new CheckedRow(row.Number, form, LoginRules.Compose(number, form.LoginSuffix)));
            }
        }

        var valid = await UniqueLoginsAsync(candidates, errors, ct);
        return (valid, errors.OrderBy(e => e.Row).ToList());
    }

    /// <summary>The grant rules once per distinct set of projects: thousands of rows name the same few.</summary>
    private async Task<IReadOnlyList<FieldError>> GrantErrorsAsync(EmployeeForm form, Dictionary<string, IReadOnlyList<FieldError>> cache, CancellationToken ct)
    {
        var key = string.Join(',', form.Projects.Select(p => p.ProjectId).Order());
        if (!cache.TryGetValue(key, out var found))
        {
            found = await grantRules.CheckAsync(db, caller, form, null, ct);
            cache[key] = found;
        }

        return found;
    }

    private async Task<List<CheckedRow>> UniqueLoginsAsync(List<CheckedRow> candidates, List<ImportRowError> errors, CancellationToken ct)
    {
        var normalized = candidates.Select(c => LoginRules.Normalize(c.Login)).Distinct().ToList();
        // Logins are unique across every account (sign-in finds the account by login): a system-wide read by design.
        var taken = (await db.Employees.IgnoreQueryFilters().Where(e => normalized.Contains(e.NormalizedLogin))
            .Select(e => e.NormalizedLogin).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var firstRow = new Dictionary<string, int>(StringComparer.Ordinal);
        var valid = new List<CheckedRow>();
        foreach (var c in candidates)
        {
            var login = LoginRules.Normalize(c.Login);
            if (taken.Contains(login))
            {
                errors.Add(new(c.Row, EmployeeColumn.Login, l["Import.Error.LoginTaken", c.Login]));
            }
            else if (!firstRow.TryAdd(login, c.Row))
            {
                errors.Add(new(c.Row, EmployeeColumn.Login, l["Import.Error.LoginTwice", c.Login, firstRow[login]]));
            }
            else
            {
                valid.Add(c);
            }
        }

        return valid;
    }

    private static EmployeeColumn? ColumnOf(string property) => property switch
    {
        nameof(EmployeeForm.Name) => EmployeeColumn.Name,
        nameof(EmployeeForm.LoginSuffix) => EmployeeColumn.Login,
        nameof(EmployeeForm.Email) => EmployeeColumn.Email,
        nameof(EmployeeForm.Phone) => EmployeeColumn.Phone,
        nameof(EmployeeForm.Position) => EmployeeColumn.Position,
        nameof(EmployeeForm.CallReceiving) or nameof(EmployeeForm.SimNumber) => EmployeeColumn.Receiving,
        nameof(EmployeeForm.Projects) => EmployeeColumn.Projects,
        _ => null,
    };

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
