using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LPTracker.Web.Localization;

/// <summary>
/// MudBlazor's own strings (pager, dialogs, inputs) from our catalogue under <c>Mud.{key}</c>; keys we do not
/// translate fall back to MudBlazor's built-in English.
/// </summary>
public sealed class MudCatalogueLocalizer(IStringLocalizer<MudCatalogueLocalizer> catalogue) : MudLocalizer
{
    public override LocalizedString this[string key]
    {
        get
        {
            var value = catalogue["Mud." + key];
            return value.ResourceNotFound ? new LocalizedString(key, key, resourceNotFound: true) : new LocalizedString(key, value.Value);
        }
    }

    public override LocalizedString this[string key, params object[] arguments]
    {
        get
        {
            var value = catalogue["Mud." + key, arguments];
            return value.ResourceNotFound ? new LocalizedString(key, key, resourceNotFound: true) : new LocalizedString(key, value.Value);
        }
    }
}
