using System.Diagnostics.Metrics;

namespace LPTracker.Telephony.Diagnostics;

/// <summary>
/// The SIP stack's counters (meter <see cref="MeterName"/>), exported by the console's Prometheus endpoint. Static,
/// as the runtime's own meters are: the registrar and the ban list are created outside DI in tests and tools.
/// </summary>
public static class SipMetrics
{
    /// <summary>The meter's name, for <c>AddMeter</c>.</summary>
    public const string MeterName = "LPTracker.Sip";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>REGISTER requests answered 200 (new, refreshed and removed bindings).</summary>
    public static readonly Counter<long> Registrations =
        Meter.CreateCounter<long>("lpt.sip.registrations", "{registration}", "REGISTER requests answered 200 OK");

    /// <summary>Digest authentications that failed (wrong password, unknown user).</summary>
    public static readonly Counter<long> AuthFailures =
        Meter.CreateCounter<long>("lpt.sip.auth_failures", "{failure}", "Failed SIP digest authentications");

    /// <summary>Bans started (of a user from an address, or of a whole address).</summary>
    public static readonly Counter<long> Bans =
        Meter.CreateCounter<long>("lpt.sip.bans", "{ban}", "SIP bans started");
}
