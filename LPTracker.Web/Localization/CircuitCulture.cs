using System.Globalization;

namespace LPTracker.Web.Localization;

/// <summary>
/// The viewer's culture, captured on the circuit. Work that arrives from elsewhere — the change notifier publishes on
/// the SIP registrar's or another circuit's thread — runs with that thread's culture, so a live update would render
/// dates and strings in the publisher's language. <see cref="Around"/> restores the viewer's before rendering.
/// </summary>
public readonly record struct CircuitCulture(CultureInfo Culture, CultureInfo UiCulture)
{
    /// <summary>Call on the circuit (e.g. in <c>OnInitialized</c>), where the request's culture is current.</summary>
    public static CircuitCulture Capture() => new(CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);

    /// <summary>Wraps <paramref name="work"/> (the body of an <c>InvokeAsync</c>) to run in the captured culture.</summary>
    public Func<Task> Around(Func<Task> work)
    {
        var (culture, uiCulture) = (Culture, UiCulture);
        return () =>
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = uiCulture;
            return work();
        };
    }
}
