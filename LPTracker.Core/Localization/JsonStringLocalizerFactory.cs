using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Localization;

/// <summary>
/// One string catalogue for the whole product, read from embedded <c>*.ru.json</c> / <c>*.en.json</c> resources
/// of the registered assemblies. Russian is the default; a key missing in a language falls back to Russian, then
/// to the key itself (and says so through <see cref="LocalizedString.ResourceNotFound"/>).
/// </summary>
public sealed class JsonStringLocalizerFactory : IStringLocalizerFactory
{
    /// <summary>The default UI language.</summary>
    public const string DefaultLanguage = "ru";

    /// <summary>The languages the UI is complete in.</summary>
    public static readonly IReadOnlyList<string> Languages = ["ru", "en"];

    private readonly JsonStringLocalizer _localizer;

    public JsonStringLocalizerFactory(IEnumerable<Assembly> assemblies)
    {
        var catalogues = Languages.ToDictionary(l => l, _ => new Dictionary<string, string>(StringComparer.Ordinal));
        foreach (var assembly in assemblies.Distinct())
        {
            foreach (var name in assembly.GetManifestResourceNames())
            {
                var language = Languages.FirstOrDefault(l => name.EndsWith($".{l}.json", StringComparison.Ordinal));
                if (language is null)
                {
                    continue;
                }

                using var stream = assembly.GetManifestResourceStream(name)!;
                var entries = JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? [];
                foreach (var (key, value) in entries)
                {
                    if (!catalogues[language].TryAdd(key, value))
                    {
                        throw new InvalidOperationException($"String '{key}' is defined twice for '{language}'.");
                    }
                }
            }
        }

        _localizer = new JsonStringLocalizer(catalogues.ToFrozenDictionary(
            kv => kv.Key, kv => (IReadOnlyDictionary<string, string>)kv.Value.ToFrozenDictionary(StringComparer.Ordinal)));
    }

    /// <summary>Every key per language, for the completeness test.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Catalogues => _localizer.Catalogues;

    public IStringLocalizer Create(Type resourceSource) => _localizer;

    public IStringLocalizer Create(string baseName, string location) => _localizer;
}

/// <summary>The product's localizer; the current UI culture picks the language.</summary>
public sealed class JsonStringLocalizer(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> catalogues) : IStringLocalizer
{
    internal IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Catalogues { get; } = catalogues;

    public LocalizedString this[string name]
    {
        get
        {
            var found = TryFind(name, out var value);
            return new LocalizedString(name, value, resourceNotFound: !found);
        }
    }

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var found = TryFind(name, out var format);
            var value = string.Format(CultureInfo.CurrentCulture, format, arguments);
            return new LocalizedString(name, value, resourceNotFound: !found);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        Catalogues[Language()].Select(kv => new LocalizedString(kv.Key, kv.Value));

    private static string Language()
    {
        var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        return JsonStringLocalizerFactory.Languages.Contains(language) ? language : JsonStringLocalizerFactory.DefaultLanguage;
    }

    private bool TryFind(string name, out string value)
    {
        if (Catalogues[Language()].TryGetValue(name, out var text)
            || Catalogues[JsonStringLocalizerFactory.DefaultLanguage].TryGetValue(name, out text))
        {
            value = text;
            return true;
        }

        value = name;
        return false;
    }
}
