using LPTracker.Core.Calls;
using LPTracker.Core.Employees;
using LPTracker.Core.Projects;
using LPTracker.Telephony.Registrar;

namespace LPTracker.Telephony.Calls.RingPlans;

/// <summary>One device to ring: a registered SIP contact, or a number called through the trunk.</summary>
/// <param name="Binding">The SIP binding (its contact and flow), or null for a carrier number.</param>
/// <param name="CarrierNumber">The mobile or SIM number in E.164, or null for a SIP binding.</param>
public sealed record RingDevice(SipBinding? Binding, string? CarrierNumber)
{
    /// <summary>True when the device is reached through the trunk.</summary>
    public bool ViaCarrier => CarrierNumber is not null;
}

/// <summary>One leg: an employee and all their devices, which ring together.</summary>
/// <param name="Employee">Who.</param>
/// <param name="Devices">Their reachable devices, the preferred (highest q) first.</param>
public sealed record RingLeg(RingEmployee Employee, IReadOnlyList<RingDevice> Devices);

/// <summary>A set of legs that ring at the same time for the ring timeout.</summary>
/// <param name="Legs">The legs of this step.</param>
public sealed record RingStep(IReadOnlyList<RingLeg> Legs);

/// <summary>
/// The ring plan (a pure function of its inputs): the Working employees of the dialled number's project become legs
/// by receiving method — SIP: every live binding; mobile / SIM: a call through the trunk — and the project's strategy
/// groups them: all at once is one step with every leg, in turn is one step per employee in the given order.
/// Employees who cannot be reached now (no live binding, no number, no trunk, a number of ours) are left out, so
/// "in turn" skips them at once.
/// </summary>
public static class RingPlan
{
    /// <summary>Builds the steps; empty when nobody can be rung.</summary>
    /// <param name="mode">The project's strategy.</param>
    /// <param name="employees">Working employees in ring order.</param>
    /// <param name="bindings">The live location store.</param>
    /// <param name="now">The current time (binding expiry).</param>
    /// <param name="hasTrunk">Whether carrier legs are possible.</param>
    /// <param name="isOwnNumber">The loop guard: true for a number of ours, which is never dialled out.</param>
    public static IReadOnlyList<RingStep> Build(RingMode mode, IReadOnlyList<RingEmployee> employees,
        Func<string, IReadOnlyList<SipBinding>> bindings, DateTimeOffset now, bool hasTrunk, Func<string, bool> isOwnNumber)
    {
        var legs = new List<RingLeg>(employees.Count);
        foreach (var employee in employees)
        {
            if (LegFor(employee, bindings, now, hasTrunk, isOwnNumber) is { } leg)
            {
                legs.Add(leg);
            }
        }

        if (legs.Count == 0)
        {
            return [];
        }

        return mode == RingMode.Sequential ? legs.Select(l => new RingStep([l])).ToList() : [new RingStep(legs)];
    }

    /// <summary>The leg of one employee, or null when they cannot be reached now.</summary>
    public static RingLeg? LegFor(RingEmployee employee, Func<string, IReadOnlyList<SipBinding>> bindings, DateTimeOffset now,
        bool hasTrunk, Func<string, bool> isOwnNumber)
    {
        switch (employee.Method)
        {
            case CallReceivingMethod.Sip:
                if (employee.SipUserName is not { } user)
                {
                    return null;
                }

                // A binding is rung over its flow here, or through the node that holds it.
                var devices = bindings(user).Where(b => b.IsLive(now) && (b.Flow is not null || b.HeldBy is not null))
                    .OrderByDescending(b => b.Q).Select(b => new RingDevice(b, null)).ToList();
                return devices.Count == 0 ? null : new RingLeg(employee, devices);
            case CallReceivingMethod.Mobile or CallReceivingMethod.Sim:
                var number = employee.Method == CallReceivingMethod.Mobile ? employee.MobileE164 : employee.SimE164;
                return hasTrunk && !string.IsNullOrEmpty(number) && !isOwnNumber(number)
                    ? new RingLeg(employee, [new RingDevice(null, number)])
                    : null;
            default:
                return null;
        }
    }
}
