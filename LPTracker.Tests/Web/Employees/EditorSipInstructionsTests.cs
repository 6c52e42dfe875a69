using Bunit;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Pages.Employees;

namespace LPTracker.Tests.Web.Employees;

public sealed class EditorSipInstructionsTests : IAsyncLifetime
{
    private CoreTestHost _core = null!;
    private CallerContext _owner = null!;
    private CallerContext _ivan = null!;

    public async Task InitializeAsync()
    {
        _core = await CoreTestHost.StartAsync();
        _owner = await _core.SignUpAsync();
        _ivan = await _core.AddEmployeeAsync(_owner, "ivan", name: "Иван Петров");
    }

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task The_instructions_are_filled_with_the_employees_sip_data()
    {
        var view = (await _core.Get<SipDataService>().GenerateAsync(_owner, _ivan.EmployeeId)).Value!;
        await using var ctx = new ConsoleBunitContext(_core);
        ctx.SignInAs(_owner);

        var cut = ctx.Render<SipInstructions>(p => p.Add(x => x.Id, _ivan.EmployeeId));

        cut.WaitForAssertion(() => Assert.Equal(view.UserName, cut.Find("[data-testid=guide-username]").TextContent));
        Assert.Equal($"{view.Server}:{view.Port}", cut.Find("[data-testid=guide-server]").TextContent);
        Assert.Contains("Иван Петров", cut.Find("[data-testid=guide-employee]").TextContent, StringComparison.Ordinal);
        Assert.Equal(4, cut.FindAll("[data-testid=guide-steps] > li").Count);
    }

    [Fact]
    public async Task Without_sip_data_the_instructions_say_to_generate_it_first()
    {
        await using var ctx = new ConsoleBunitContext(_core);
        ctx.SignInAs(_owner);

        var cut = ctx.Render<SipInstructions>(p => p.Add(x => x.Id, _ivan.EmployeeId));

        cut.WaitForAssertion(() => Assert.Contains("Сгенерировать SIP данные", cut.Find("[data-testid=guide-no-sip]").TextContent, StringComparison.Ordinal));
    }
}
