using LPTracker.Core.Calls;
using LPTracker.Core.Employees;
using LPTracker.Core.Numbers;
using LPTracker.Core.Persistence;
using LPTracker.Core.Projects;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Core.Calls;

/// <summary>
/// <see cref="RingPlanQuery"/> against a real SQLite file: which employees a dialled number rings (Working in the
/// number's project: switched on, takes calls there, has access or is the main account), in which order, with which
/// strategy and how each is reached. One account with two projects, a number per project, one bound to none, and a
/// second account whose people never appear.
/// </summary>
public sealed class RingPlanQueryTests : IAsyncLifetime
{
    private const string SalesNumber = "+78123893201";
    private const string SupportNumber = "+78123893202";
    private const string UnboundNumber = "+78123893203";
    private const string OtherAccountNumber = "+78123893204";
    private readonly Dictionary<string, int> _ids = [];
    private CoreTestHost _host = null!;
    private int _salesId;
    private int _supportId;

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        var owner = await _host.SignUpAsync();
        var other = await _host.SignUpAsync();
        _ids["main"] = owner.EmployeeId;
        _ids["other-main"] = other.EmployeeId;
        foreach (var name in new[] { "sip", "mobile", "sim", "no-calls", "no-access", "off" })
        {
            _ids[name] = (await _host.AddEmployeeAsync(owner, name)).EmployeeId;
        }

        _ids["stranger"] = (await _host.AddEmployeeAsync(other, "stranger")).EmployeeId;
        await using var db = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId);
        var sales = await db.Projects.OrderBy(p => p.Id).FirstAsync();
        sales.RingMode = RingMode.Sequential;
        sales.RingTimeoutSeconds = 25;
        var support = new Project { AccountId = owner.AccountId, Name = "Поддержка", RingMode = RingMode.Simultaneous, RingTimeoutSeconds = 40 };
        db.Projects.Add(support);
        await db.SaveChangesAsync();
        (_salesId, _supportId) = (sales.Id, support.Id);

        var employees = await db.Employees.Include(e => e.Memberships).ToDictionaryAsync(e => e.Id);
        void Set(string name, Action<Employee> change) => change(employees[_ids[name]]);
        Set("sip", e => e.CallReceiving = CallReceivingMethod.Sip);
        Set("mobile", e => (e.CallReceiving, e.Phone, e.HideClientNumber) = (CallReceivingMethod.Mobile, "+79001112233", true));
        Set("sim", e => (e.CallReceiving, e.SimNumber) = (CallReceivingMethod.Sim, "+79004445566"));
        Set("no-calls", e => e.Memberships.Single().TakesCalls = false);
        Set("no-access", e => e.Memberships.Single().HasAccess = false);
        Set("off", e => e.IsEnabled = false);
        // "sim" also takes calls in Support; "sip" has access there but does not take calls.
        Set("sim", e => e.Memberships.Add(new ProjectMembership { ProjectId = _supportId, AccountId = owner.AccountId, HasAccess = true, TakesCalls = true }));
        Set("sip", e => e.Memberships.Add(new ProjectMembership { ProjectId = _supportId, AccountId = owner.AccountId, HasAccess = true, TakesCalls = false }));
        db.SipAccounts.Add(new SipAccount { EmployeeId = _ids["sip"], AccountId = owner.AccountId, UserName = "sip-user", Realm = "r" });
        db.Numbers.AddRange(
            new VirtualNumber { AccountId = owner.AccountId, E164 = SalesNumber, ProjectId = _salesId },
            new VirtualNumber { AccountId = owner.AccountId, E164 = SupportNumber, ProjectId = _supportId },
            new VirtualNumber { AccountId = owner.AccountId, E164 = UnboundNumber });
        await db.SaveChangesAsync();

        await using var otherDb = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(other.AccountId);
        otherDb.Numbers.Add(new VirtualNumber { AccountId = other.AccountId, E164 = OtherAccountNumber, ProjectId = await otherDb.Projects.Select(p => p.Id).FirstAsync() });
        await otherDb.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private RingPlanQuery Query => new(_host.Get<IDbContextFactory<LptrackerDbContext>>());

    public static TheoryData<string, string?, RingMode, int, string> Plans => new()
    {
        // Number, its project, strategy, ring timeout, who rings in order ("name:method").
        { SalesNumber, "sales", RingMode.Sequential, 25, "main:Sip sip:Sip mobile:Mobile sim:Sim" },
        { SupportNumber, "support", RingMode.Simultaneous, 40, "sim:Sim" },
        { UnboundNumber, null, RingMode.Simultaneous, CallStrategyValidator.DefaultTimeout, "main:Sip" },
        { OtherAccountNumber, "other", RingMode.Simultaneous, 30, "other-main:Sip stranger:Sip" },
    };

    [Theory]
    [MemberData(nameof(Plans))]
    public async Task A_dialled_number_rings_the_employees_working_in_its_project_in_order_by_its_strategy(
        string dialled, string? project, RingMode mode, int timeout, string expected)
    {
        var plan = await Query.FindAsync(dialled);

        Assert.NotNull(plan);
        Assert.Equal(mode, plan.Mode);
        Assert.Equal(timeout, plan.RingTimeoutSeconds);
        Assert.Equal(dialled, plan.DialledE164);
        switch (project)
        {
            case "sales":
                Assert.Equal(_salesId, plan.ProjectId);
                break;
            case "support":
                Assert.Equal(_supportId, plan.ProjectId);
                break;
            case null:
                Assert.Null(plan.ProjectId);
                break;
        }

        var byId = _ids.ToDictionary(kv => kv.Value, kv => kv.Key);
        Assert.Equal(expected, string.Join(' ', plan.Employees.Select(e => $"{byId[e.EmployeeId]}:{e.Method}")));
    }

    [Fact]
    public async Task Each_target_carries_what_reaches_it_and_an_unknown_number_has_no_plan()
    {
        var plan = await Query.FindAsync(SalesNumber);

        var sip = plan!.Employees.Single(e => e.EmployeeId == _ids["sip"]);
        var mobile = plan.Employees.Single(e => e.EmployeeId == _ids["mobile"]);
        var sim = plan.Employees.Single(e => e.EmployeeId == _ids["sim"]);
        Assert.Equal("sip-user", sip.SipUserName);
        Assert.Equal(("+79001112233", true), (mobile.MobileE164, mobile.HideClientNumber));
        Assert.Equal("+79004445566", sim.SimE164);
        Assert.Null(await Query.FindAsync("+78123890000"));
        Assert.True(await Query.IsVirtualNumberAsync(OtherAccountNumber));
        Assert.False(await Query.IsVirtualNumberAsync("+79001112233"));
    }

    [Fact]
    public async Task One_employee_is_found_only_in_their_own_account()
    {
        var owner = await OwnerAccountAsync();

        Assert.Equal(CallReceivingMethod.Mobile, (await Query.FindEmployeeAsync(owner, _ids["mobile"]))?.Method);
        Assert.Null(await Query.FindEmployeeAsync(owner, _ids["stranger"]));
    }

    private async Task<int> OwnerAccountAsync()
    {
        await using var db = _host.OpenSystemContext();
        return await db.Employees.IgnoreQueryFilters().Where(e => e.Id == _ids["main"]).Select(e => e.AccountId).SingleAsync();
    }
}
