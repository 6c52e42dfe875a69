namespace LPTracker.Core.Import;

/// <summary>
/// Which fields an import of each kind offers, and the column each one most likely is, from the header's name in
/// Russian or English (as our own export, Excel users and other CRMs name them).
/// </summary>
public static class ImportColumns
{
    private static readonly (ImportField Field, string[] Names)[] Synonyms =
    [
        (ImportField.Title, ["title", "lead", "deal", "название", "лид", "сделка", "заголовок"]),
        (ImportField.Name, ["name", "contact", "full name", "фио", "имя", "контакт", "клиент"]),
        (ImportField.Company, ["company", "organization", "organisation", "компания", "организация"]),
        (ImportField.Phone, ["phone", "phones", "mobile", "tel", "телефон", "телефоны", "мобильный", "номер"]),
        (ImportField.Email, ["email", "e-mail", "emails", "mail", "почта", "эл. почта", "электронная почта"]),
        (ImportField.Comment, ["comment", "comments", "note", "notes", "комментарий", "примечание", "заметка"]),
        (ImportField.Owner, ["owner", "manager", "responsible", "ответственный", "менеджер", "сотрудник", "владелец"]),
        (ImportField.Stage, ["stage", "status", "этап", "статус", "стадия"]),
        (ImportField.StepDate, ["step date", "stepdate", "stepdateutc", "next step", "дата шага", "следующий шаг"]),
        (ImportField.Amount, ["amount", "sum", "budget", "сумма", "бюджет"]),
        (ImportField.Source, ["source", "channel", "источник", "канал"]),
    ];

    /// <summary>The fields an import of <paramref name="kind"/> can fill, in the order the mapping form shows them.</summary>
    public static IReadOnlyList<ImportField> For(ImportKind kind) => kind == ImportKind.Contacts
        ? [ImportField.Name, ImportField.Company, ImportField.Phone, ImportField.Email, ImportField.Comment, ImportField.Owner]
        : [ImportField.Title, ImportField.Name, ImportField.Company, ImportField.Phone, ImportField.Email, ImportField.Stage,
            ImportField.Owner, ImportField.StepDate, ImportField.Amount, ImportField.Source, ImportField.Comment];

    /// <summary>The suggested column of each field: an exact header name first, then a header that starts with one; each column used once.</summary>
    public static Dictionary<ImportField, int> Suggest(ImportKind kind, IReadOnlyList<string> headers)
    {
        var normalised = headers.Select(Normalise).ToList();
        var fields = For(kind);
        var mapping = new Dictionary<ImportField, int>();
        foreach (var exact in new[] { true, false })
        {
            foreach (var (field, names) in Synonyms.Where(s => fields.Contains(s.Field) && !mapping.ContainsKey(s.Field)))
            {
                var column = Enumerable.Range(0, normalised.Count).Where(i => !mapping.ContainsValue(i))
                    .FirstOrDefault(i => names.Any(n => exact ? normalised[i] == n : normalised[i].StartsWith(n, StringComparison.Ordinal)), -1);
                if (column >= 0)
                {
                    mapping[field] = column;
                }
            }
        }

        return mapping;
    }

    private static string Normalise(string header) => header.Trim().Trim('*', ':').Trim().ToLowerInvariant().Replace('ё', 'е').Replace('_', ' ');
}
