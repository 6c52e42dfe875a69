using LPTracker.Core.Employees;

namespace LPTracker.Tests.Core.Employees;

public sealed class ListStatusRulesTests
{
    // switch × main × membership (access, takes calls) → status in the viewed project
    public static TheoryData<bool, bool, bool?, bool?, WorkStatus> Cases => new()
    {
        { true, false, true, true, WorkStatus.Working },
        { false, false, true, true, WorkStatus.NotWorking },
        { true, false, true, false, WorkStatus.NotWorking },
        { true, false, false, true, WorkStatus.NotWorking },
        { true, false, false, false, WorkStatus.NotWorking },
        { true, false, null, null, WorkStatus.NotWorking },
        { false, false, null, null, WorkStatus.NotWorking },
        { true, true, true, true, WorkStatus.Working },
        { true, true, true, false, WorkStatus.NotWorking },
        { true, true, false, true, WorkStatus.Working },
        { false, true, true, true, WorkStatus.NotWorking },
        { true, true, null, null, WorkStatus.NotWorking },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Status_in_a_project_needs_the_switch_and_taking_calls_there(
        bool switchedOn, bool isMain, bool? access, bool? takesCalls, WorkStatus expected)
    {
        var membership = access is null ? null : new MembershipFlags(access.Value, takesCalls!.Value);

        var status = EmployeeStatusRules.StatusIn(switchedOn, isMain, membership);

        Assert.Equal(expected, status);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_database_counts_working_employees_by_the_same_rule(
        bool switchedOn, bool isMain, bool? access, bool? takesCalls, WorkStatus expected)
    {
        await using var host = await ListTestHost.CreateAsync();
        var main = await host.SignUpAsync();
        var viewed = await host.FirstProjectAsync(main.AccountId);
        await using (var db = await host.DbAsync(main.AccountId))
        {
            // Strip the main account's own membership so only the case's employee counts.
            var me = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
                db.Memberships, m => m.EmployeeId == main.EmployeeId);
            me.TakesCalls = false;
            if (isMain)
            {
                var mainEmployee = await db.Employees.FindAsync(main.EmployeeId);
                mainEmployee!.IsEnabled = switchedOn;
                if (access is null)
                {
                    db.Memberships.Remove(me);
                }
                else
                {
                    me.HasAccess = access.Value;
                    me.TakesCalls = takesCalls!.Value;
                }
            }

            await db.SaveChangesAsync();
        }

        var caller = main;
        if (!isMain)
        {
            var projects = access is null ? [] : new Dictionary<int, (bool, bool)> { [viewed] = (access.Value, takesCalls!.Value) };
            await host.AddEmployeeAsync(main.AccountId, "Case", projects, switchedOn);
        }

        var page = (await host.List.LoadAsync(caller, new EmployeeListQuery(EmployeeListScope.All))).Value!;

        Assert.Equal(expected == WorkStatus.Working ? 1 : 0, page.Counters.Working);
        var row = page.Rows.Single(r => r.IsMain == isMain && (isMain || r.Name == "Case"));
        Assert.Equal(expected, row.Status);
    }

    [Theory]
    [InlineData(false, null, null, false)]
    [InlineData(false, false, true, false)]
    [InlineData(false, true, false, true)]
    [InlineData(true, null, null, true)]
    [InlineData(true, false, false, true)]
    public void The_project_view_lists_the_main_account_and_employees_with_access(
        bool isMain, bool? access, bool? takesCalls, bool listed)
    {
        var membership = access is null ? null : new MembershipFlags(access.Value, takesCalls!.Value);

        Assert.Equal(listed, EmployeeStatusRules.IsListedIn(isMain, membership));
    }

    [Theory]
    [InlineData("Иванов", "иванов")]
    [InlineData("  ИВАН   Петров ", "иван петров")]
    [InlineData("+7 (921) 555-00-01", "79215550001")]
    [InlineData("8 921 555 00 01", "79215550001")]
    [InlineData("555", "555")]
    [InlineData("%_[", "%_[")]
    [InlineData("   ", null)]
    [InlineData(null, null)]
    public void Search_terms_are_normalised_like_the_stored_search_text(string? term, string? expected)
    {
        Assert.Equal(expected, EmployeeListSearch.Normalize(term));
    }
}
