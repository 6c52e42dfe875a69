using System.Globalization;
using LPTracker.Core.Localization;

namespace LPTracker.Tests.Core.Localization;

public class CatalogueTests
{
    private static readonly JsonStringLocalizerFactory Factory =
        new([typeof(LPTracker.Core.CoreExtensions).Assembly, typeof(LPTracker.Web.WebExtensions).Assembly]);

    [Fact]
    public void Russian_and_English_have_exactly_the_same_keys()
    {
        var ru = Factory.Catalogues["ru"].Keys.Order().ToList();
        var en = Factory.Catalogues["en"].Keys.Order().ToList();

        Assert.Equal(ru.Except(en), []);
        Assert.Equal(en.Except(ru), []);
    }

    [Fact]
    public void No_string_is_empty_in_either_language()
    {
        var empty = Factory.Catalogues.SelectMany(c => c.Value.Where(kv => string.IsNullOrWhiteSpace(kv.Value)).Select(kv => $"{c.Key}:{kv.Key}"));

        Assert.Empty(empty);
    }

    [Fact]
    public void Every_key_used_in_the_razor_components_exists()
    {
        var root = FindRepositoryRoot();
        var used = Directory.EnumerateFiles(Path.Combine(root, "LPTracker.Web"), "*.razor", SearchOption.AllDirectories)
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f), "L\\[\"([A-Za-z0-9_.]+)\"").Select(m => m.Groups[1].Value))
            .Distinct();

        var missing = used.Where(k => !Factory.Catalogues["ru"].ContainsKey(k)).ToList();

        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("ru-RU", "Отмена")]
    [InlineData("en-US", "Cancel")]
    [InlineData("de-DE", "Отмена")]
    public void The_ui_culture_picks_the_language_and_russian_is_the_default(string culture, string expected)
    {
        CultureInfo.CurrentUICulture = new CultureInfo(culture);

        var value = Factory.Create(typeof(object))["Common.Cancel"];

        Assert.Equal(expected, value.Value);
    }

    [Fact]
    public void An_unknown_key_is_reported_as_not_found()
    {
        var value = Factory.Create(typeof(object))["No.Such.Key"];

        Assert.True(value.ResourceNotFound);
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LPTracker.Blazor.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
