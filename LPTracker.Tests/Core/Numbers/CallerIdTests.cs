using LPTracker.Core.Employees;
using LPTracker.Core.Numbers;
using LPTracker.Core.Projects;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Numbers;

public sealed class CallerIdTests : IAsyncLifetime
{
    private const string Displayed = "+78123893201";
    private const string Single = "+78123893202";

    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(CallKind.Direct, Displayed, Single, Displayed)]
    [InlineData(CallKind.Crm, Displayed, Single, Single)]
    [InlineData(CallKind.Widget, Displayed, Single, Single)]
    [InlineData(CallKind.Direct, null, Single, Single)]
    [InlineData(CallKind.Crm, Displayed, null, Displayed)]
    [InlineData(CallKind.Widget, Displayed, null, null)]
    [InlineData(CallKind.Direct, null, null, null)]
    public void The_client_sees_the_number_the_kind_of_call_asks_for(CallKind kind, string? displayed, string? single, string? expected)
    {
        var number = CallerIdRules.Choose(kind, displayed, single);

        Assert.Equal(expected, number);
    }

    [Theory]
    [InlineData(CallKind.Direct, Displayed)]
    [InlineData(CallKind.Crm, Single)]
    [InlineData(CallKind.Widget, Single)]
    public async Task The_service_reads_the_employees_displayed_and_the_projects_single_number(CallKind kind, string expected)
    {
        var displayedId = await _host.AddNumberAsync(_owner, Displayed);
        var singleId = await _host.AddNumberAsync(_owner, Single);
        var editor = _host.Get<EmployeeEditorService>();
        var form = EditorArrange.ValidNewForm((await editor.NewAsync(_owner)).Value!);
        form.DisplayedNumberId = displayedId;
        var employee = (await editor.CreateAsync(_owner, form)).EmployeeId;
        var strategy = (await _host.Get<CallStrategyService>().GetAsync(_owner)).Value!.Projects.Single();
        strategy.SingleNumberId = singleId;
        await _host.Get<CallStrategyService>().SaveAsync(_owner, strategy);

        var number = await _host.Get<CallerIdService>().ResolveAsync(_owner.AccountId, kind, employee, strategy.ProjectId);

        Assert.Equal(expected, number);
    }

    [Fact]
    public async Task Another_accounts_employee_gives_no_caller_id()
    {
        var other = await _host.SignUpAsync();
        var numberId = await _host.AddNumberAsync(other, Displayed);
        var stranger = await _host.AddEmployeeAsync(other, "petr");
        var editor = _host.Get<EmployeeEditorService>();
        var form = (await editor.GetAsync(other, stranger.EmployeeId)).Value!.Form;
        form.DisplayedNumberId = numberId;
        await editor.UpdateAsync(other, stranger.EmployeeId, form);

        var number = await _host.Get<CallerIdService>().ResolveAsync(_owner.AccountId, CallKind.Direct, stranger.EmployeeId, null);

        Assert.Null(number);
    }
}
