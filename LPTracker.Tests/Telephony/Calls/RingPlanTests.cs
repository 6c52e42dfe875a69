using System.Net;
using LPTracker.Core.Calls;
using LPTracker.Core.Employees;
using LPTracker.Core.Projects;
using LPTracker.Telephony.Calls.RingPlans;
using LPTracker.Telephony.Registrar;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Tests.Telephony.Calls;

/// <summary>The ring plan as a table: who rings, on which devices, in which steps.</summary>
public sealed class RingPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, SipBinding[]> Bindings = new()
    {
        ["alice"] = [Binding("alice", "sip:alice@10.0.0.1", q: 0.5), Binding("alice", "sip:alice@10.0.0.2", q: 1.0)],
        ["bob"] = [Binding("bob", "sip:bob@10.0.0.3")],
        ["expired"] = [Binding("expired", "sip:x@10.0.0.4", expiresIn: TimeSpan.FromSeconds(-1))],
        ["unreachable"] = [Binding("unreachable", "sip:u@10.0.0.5") with { Reachability = Reachability.Unreachable }],
    };

    public static TheoryData<string, RingMode, string> Plans => new()
    {
        // employees (id:method:sip-or-number, "|"-separated)   mode   expected steps ("/" between steps, "+" between legs)
        { "1:sip:alice|2:sip:bob", RingMode.Simultaneous, "1+2" },
        { "1:sip:alice|2:sip:bob", RingMode.Sequential, "1/2" },
        { "1:sip:expired|2:sip:bob", RingMode.Sequential, "2" },
        { "1:sip:unreachable|2:sip:nobinding|3:sip:", RingMode.Simultaneous, "" },
        { "1:mobile:+79001112233|2:sim:+79004445566", RingMode.Simultaneous, "1+2" },
        { "1:mobile:|2:sim:", RingMode.Simultaneous, "" },
        { "1:mobile:+78123893201|2:sip:bob", RingMode.Sequential, "2" },
        { "3:sip:bob|1:sip:alice", RingMode.Sequential, "3/1" },
    };

    [Theory]
    [MemberData(nameof(Plans))]
    public void Steps_follow_the_strategy_and_leave_out_whoever_cannot_be_reached(string employees, RingMode mode, string expected)
    {
        var plan = RingPlan.Build(mode, Parse(employees), Lookup, Now, hasTrunk: true, n => n == "+78123893201");

        var actual = string.Join("/", plan.Select(s => string.Join("+", s.Legs.Select(l => l.Employee.EmployeeId))));

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_sip_employee_rings_every_live_binding_the_highest_q_first()
    {
        var leg = RingPlan.LegFor(Parse("1:sip:alice")[0], Lookup, Now, hasTrunk: false, _ => false);

        Assert.Equal(["sip:alice@10.0.0.2", "sip:alice@10.0.0.1"], leg!.Devices.Select(d => d.Binding!.ContactUri));
    }

    [Fact]
    public void Without_a_trunk_mobile_and_sim_employees_cannot_be_rung()
    {
        var plan = RingPlan.Build(RingMode.Simultaneous, Parse("1:mobile:+79001112233|2:sip:bob"), Lookup, Now, hasTrunk: false, _ => false);

        Assert.Equal([2], plan.Single().Legs.Select(l => l.Employee.EmployeeId));
    }

    [Fact]
    public void A_mobile_employee_is_rung_through_the_carrier_at_their_number()
    {
        var leg = RingPlan.LegFor(Parse("1:mobile:+79001112233")[0], Lookup, Now, hasTrunk: true, _ => false);

        Assert.Equal("+79001112233", leg!.Devices.Single().CarrierNumber);
    }

    private static IReadOnlyList<SipBinding> Lookup(string user) => Bindings.GetValueOrDefault(user) ?? [];

    private static List<RingEmployee> Parse(string text) => text.Split('|').Select(part =>
    {
        var bits = part.Split(':', 3);
        var id = int.Parse(bits[0], System.Globalization.CultureInfo.InvariantCulture);
        var value = bits[2].Length == 0 ? null : bits[2];
        return bits[1] switch
        {
            "sip" => new RingEmployee(id, CallReceivingMethod.Sip, value, null, null, false),
            "mobile" => new RingEmployee(id, CallReceivingMethod.Mobile, null, value, null, false),
            _ => new RingEmployee(id, CallReceivingMethod.Sim, null, null, value, false),
        };
    }).ToList();

    private static SipBinding Binding(string user, string contact, double q = 1.0, TimeSpan? expiresIn = null) => new()
    {
        UserName = user, ContactUri = contact, CallId = "c", CSeq = 1, RegisteredAt = Now, UpdatedAt = Now,
        ExpiresAt = Now + (expiresIn ?? TimeSpan.FromMinutes(10)), RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 5070),
        LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 5060), Transport = SipTransportKind.Udp, Q = q,
    };
}
