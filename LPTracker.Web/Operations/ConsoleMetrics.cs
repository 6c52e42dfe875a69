using System.Diagnostics.Metrics;
using LPTracker.Core.Calls;
using LPTracker.Telephony.Registrar;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace LPTracker.Web.Operations;

/// <summary>
/// The console's gauges (meter <see cref="MeterName"/>): SIP bindings held by this node, active calls, open Blazor
/// circuits; and counters of registration events dropped by the history and the notification queues. Read when Prometheus scrapes, so they cost nothing between scrapes.
/// </summary>
public sealed class ConsoleMetrics
{
    /// <summary>The meter's name, for <c>AddMeter</c>.</summary>
    public const string MeterName = "LPTracker.Console";

    private int _circuits;

    public ConsoleMetrics(IMeterFactory meters, IServiceProvider services)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("lpt.sip.bindings", () => services.GetService<ILocationStore>()?.Count ?? 0,
            "{binding}", "SIP bindings held by this node's registrar");
        meter.CreateObservableGauge("lpt.calls.active", () => services.GetRequiredService<LiveCallTracker>().ActiveCalls,
            "{call}", "Calls ringing or talking on this node");
        meter.CreateObservableGauge("lpt.circuits.active", () => Volatile.Read(ref _circuits),
            "{circuit}", "Open Blazor circuits (console pages) on this node");
        meter.CreateObservableCounter("lpt.registration_history.dropped",
            () => services.GetService<LPTracker.Core.RegistrationHistory.RegistrationEventSink>()?.Dropped ?? 0,
            "{event}", "Registration events not written to the history because its queue was full");
        meter.CreateObservableCounter("lpt.notifications.dropped",
            () => services.GetService<LPTracker.Core.RegistrationHistory.RegistrationAlertQueue>()?.Dropped ?? 0,
            "{event}", "Offline phones and bans not told to administrators because the notification queue was full");
    }

    internal void CircuitOpened() => Interlocked.Increment(ref _circuits);

    internal void CircuitClosed() => Interlocked.Decrement(ref _circuits);
}

/// <summary>Counts circuits for <see cref="ConsoleMetrics"/>.</summary>
internal sealed class MetricsCircuitHandler(ConsoleMetrics metrics) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitOpened();
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitClosed();
        return Task.CompletedTask;
    }
}
