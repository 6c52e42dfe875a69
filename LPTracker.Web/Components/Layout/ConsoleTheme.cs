using MudBlazor;

namespace LPTracker.Web.Components.Layout;

/// <summary>The console's colours.</summary>
public static class ConsoleTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1565C0",
            Secondary = "#546E7A",
            AppbarBackground = "#0D47A1",
            Success = "#2E7D32",
        },
    };
}
