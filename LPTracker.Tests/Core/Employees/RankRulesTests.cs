using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;

namespace LPTracker.Tests.Core.Employees;

/// <summary>The pure rank rule: a caller acts on a target only when it holds every right the target holds.</summary>
public sealed class RankRulesTests
{
    private const int P1 = 1;
    private const int P2 = 2;

    private static EmployeeRights Caller(
        CommonSections sections = CommonSections.Employees, EmployeePermissions permissions = EmployeePermissions.None,
        params ProjectRights[] projects) => new(10, false, sections, permissions, projects);

    private static EmployeeRights Target(
        CommonSections sections = CommonSections.None, EmployeePermissions permissions = EmployeePermissions.None,
        params ProjectRights[] projects) => new(20, false, sections, permissions, projects);

    private static ProjectRights Row(int project, bool access = true, bool calls = false, ProjectSections sections = ProjectSections.None) =>
        new(project, access, calls, sections);

    public static TheoryData<string, EmployeeRights, EmployeeRights, bool> Cases => new()
    {
        { "an employee with nothing", Caller(), Target(), true },
        { "equal common sections", Caller(CommonSections.Employees | CommonSections.Telephony), Target(CommonSections.Telephony | CommonSections.Employees), true },
        { "a common section the caller lacks", Caller(CommonSections.Employees), Target(CommonSections.Balance), false },
        { "a permission the caller holds", Caller(permissions: EmployeePermissions.ExportData), Target(permissions: EmployeePermissions.ExportData), true },
        { "a permission the caller lacks", Caller(permissions: EmployeePermissions.ExportData), Target(permissions: EmployeePermissions.DeleteData), false },
        { "access to a project the caller opens", Caller(projects: Row(P1)), Target(projects: Row(P1)), true },
        { "access to a project the caller cannot open", Caller(projects: Row(P1)), Target(projects: Row(P2)), false },
        { "access where the caller's row has no access", Caller(projects: Row(P2, access: false, calls: true)), Target(projects: Row(P2)), false },
        { "a project section the caller holds there", Caller(projects: Row(P1, sections: ProjectSections.Leads | ProjectSections.Deals)), Target(projects: Row(P1, sections: ProjectSections.Leads)), true },
        { "a project section the caller holds only elsewhere", Caller(projects: [Row(P1), Row(P2, sections: ProjectSections.Analytics)]), Target(projects: Row(P1, sections: ProjectSections.Analytics)), false },
        { "sections without access still count", Caller(projects: Row(P1)), Target(projects: Row(P1, access: false, sections: ProjectSections.Widgets)), false },
        { "takes calls in a project the caller opens", Caller(projects: Row(P1)), Target(projects: Row(P1, calls: true)), true },
        { "takes calls in a project the caller cannot open", Caller(projects: Row(P1)), Target(projects: Row(P2, access: false, calls: true)), false },
        { "a row with nothing in it", Caller(), Target(projects: Row(P2, access: false)), true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_caller_may_act_only_on_a_target_it_matches_in_every_right(string because, EmployeeRights caller, EmployeeRights target, bool allowed)
    {
        var gap = EmployeeRankRules.Gap(caller, target);

        Assert.True(allowed == gap.IsEmpty, because);
    }

    [Fact]
    public void The_gap_names_what_is_missing()
    {
        var gap = EmployeeRankRules.Gap(
            Caller(CommonSections.Employees | CommonSections.Telephony, EmployeePermissions.ExportData, Row(P1)),
            Target(CommonSections.All, EmployeePermissions.All, Row(P1), Row(P2)));

        Assert.Equal(CommonSections.Balance | CommonSections.SiteBuilder, gap.Sections);
        Assert.Equal(EmployeePermissions.All & ~EmployeePermissions.ExportData, gap.Permissions);
        Assert.Equal([P2], gap.Projects);
    }

    [Fact]
    public void The_main_account_acts_on_anyone()
    {
        var main = new EmployeeRights(1, true, CommonSections.None, EmployeePermissions.None, []);

        Assert.True(EmployeeRankRules.Gap(main, Target(CommonSections.All, EmployeePermissions.All, Row(P2, sections: ProjectSections.All))).IsEmpty);
    }

    [Fact]
    public void Nobody_but_the_main_account_acts_on_the_main_account()
    {
        var main = new EmployeeRights(1, true, CommonSections.None, EmployeePermissions.None, []);

        Assert.False(EmployeeRankRules.Gap(Caller(CommonSections.All, EmployeePermissions.All), main).IsEmpty);
    }

    [Fact]
    public void Everybody_acts_on_themselves()
    {
        var me = Caller(CommonSections.None);

        Assert.True(EmployeeRankRules.Gap(me, me with { Sections = CommonSections.All }).IsEmpty);
    }
}
