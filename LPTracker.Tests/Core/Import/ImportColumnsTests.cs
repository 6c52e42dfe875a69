using LPTracker.Core.Import;

namespace LPTracker.Tests.Core.Import;

public sealed class ImportColumnsTests
{
    public static TheoryData<string[], ImportKind, string> Headers => new()
    {
        { ["ФИО", "Телефон", "Эл. почта", "Компания"], ImportKind.Contacts, "Name=0 Company=3 Phone=1 Email=2" },
        { ["Id", "Name", "Company", "Phones", "Emails", "Owner", "Comment"], ImportKind.Contacts, "Name=1 Company=2 Phone=3 Email=4 Comment=6 Owner=5" },
        { ["Id", "Title", "Contact", "Stage", "Owner", "StepDateUtc", "Amount", "Source"], ImportKind.Leads, "Title=1 Name=2 Stage=3 Owner=4 StepDate=5 Amount=6 Source=7" },
        { ["Название сделки", "Клиент", "Телефон клиента", "Этап"], ImportKind.Leads, "Title=0 Name=1 Phone=2 Stage=3" },
        { ["Телефон", "Телефон"], ImportKind.Contacts, "Phone=0" },
        { ["Колонка А", "Колонка Б"], ImportKind.Contacts, "" },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void Columns_are_suggested_from_russian_and_english_headers(string[] headers, ImportKind kind, string expected)
    {
        var mapping = ImportColumns.Suggest(kind, headers);

        Assert.Equal(expected, string.Join(" ", ImportColumns.For(kind).Where(mapping.ContainsKey).Select(f => $"{f}={mapping[f]}")));
    }
}
