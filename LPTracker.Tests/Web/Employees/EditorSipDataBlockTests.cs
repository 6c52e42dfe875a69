using Bunit;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Employees.Editor;
using MudBlazor;

namespace LPTracker.Tests.Web.Employees;

public sealed class EditorSipDataBlockTests : IAsyncLifetime
{
    private CoreTestHost _core = null!;
    private CallerContext _owner = null!;
    private CallerContext _ivan = null!;

    public async Task InitializeAsync()
    {
        _core = await CoreTestHost.StartAsync();
        _owner = await _core.SignUpAsync();
        _ivan = await _core.AddEmployeeAsync(_owner, "ivan");
    }

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task A_new_employee_must_be_saved_before_sip_data_can_be_generated()
    {
        await using var ctx = new ConsoleBunitContext(_core);

        var cut = ctx.Render<SipDataBlock>(p => p.Add(b => b.Caller, _owner).Add(b => b.EmployeeId, null));

        Assert.Equal("Сохраните сотрудника, чтобы сгенерировать SIP данные.", cut.Find("[data-testid=sip-save-first]").TextContent);
    }

    [Fact]
    public async Task Generating_shows_the_sip_data_with_the_password_hidden()
    {
        await using var ctx = new ConsoleBunitContext(_core);
        var cut = ctx.Render<SipDataBlock>(p => p.Add(b => b.Caller, _owner).Add(b => b.EmployeeId, _ivan.EmployeeId));

        cut.WaitForElement("[data-testid=sip-generate]").Click();

        cut.WaitForAssertion(() => Assert.EndsWith($"_{_ivan.EmployeeId}", cut.Find("[data-testid=sip-username-value]").TextContent, StringComparison.Ordinal));
        Assert.Equal("••••••••••••", cut.Find("[data-testid=sip-password-value]").TextContent);
        Assert.Equal("localhost", cut.Find("[data-testid=sip-server-value]").TextContent);
        Assert.Equal("5060", cut.Find("[data-testid=sip-port-value]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=copy-sip-username]"));
    }

    [Fact]
    public async Task Revealing_shows_the_password_an_administrator_can_give_the_employee()
    {
        await _core.Get<SipDataService>().GenerateAsync(_owner, _ivan.EmployeeId);
        var password = (await _core.Get<SipDataService>().RevealPasswordAsync(_owner, _ivan.EmployeeId)).Value;
        await using var ctx = new ConsoleBunitContext(_core);
        var cut = ctx.Render<SipDataBlock>(p => p.Add(b => b.Caller, _owner).Add(b => b.EmployeeId, _ivan.EmployeeId));

        cut.WaitForElement("[data-testid=sip-reveal]").Click();

        cut.WaitForAssertion(() => Assert.Equal(password, cut.Find("[data-testid=sip-password-value]").TextContent));
    }

    [Fact]
    public async Task The_copy_button_puts_the_password_on_the_clipboard_without_showing_it()
    {
        await _core.Get<SipDataService>().GenerateAsync(_owner, _ivan.EmployeeId);
        var password = (await _core.Get<SipDataService>().RevealPasswordAsync(_owner, _ivan.EmployeeId)).Value;
        await using var ctx = new ConsoleBunitContext(_core);
        var cut = ctx.Render<SipDataBlock>(p => p.Add(b => b.Caller, _owner).Add(b => b.EmployeeId, _ivan.EmployeeId));

        cut.WaitForElement("[data-testid=copy-sip-password]").Click();

        cut.WaitForAssertion(() => Assert.Equal(password, ctx.JSInterop.VerifyInvoke("lptracker.copy").Arguments[0]));
        Assert.Equal("••••••••••••", cut.Find("[data-testid=sip-password-value]").TextContent);
    }

    [Fact]
    public async Task Regenerating_asks_first_and_then_replaces_the_password()
    {
        var sip = _core.Get<SipDataService>();
        await sip.GenerateAsync(_owner, _ivan.EmployeeId);
        var before = (await sip.RevealPasswordAsync(_owner, _ivan.EmployeeId)).Value;
        await using var ctx = new ConsoleBunitContext(_core);
        var dialogs = ctx.Render<MudDialogProvider>();
        var cut = ctx.Render<SipDataBlock>(p => p.Add(b => b.Caller, _owner).Add(b => b.EmployeeId, _ivan.EmployeeId));

        cut.WaitForElement("[data-testid=sip-regenerate]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Старый пароль перестанет работать", dialogs.Markup, StringComparison.Ordinal));
        Assert.Equal(before, (await sip.RevealPasswordAsync(_owner, _ivan.EmployeeId)).Value);
        dialogs.FindAll(".mud-dialog-actions button")[^1].Click();

        cut.WaitForAssertion(() => Assert.NotEqual(before, sip.RevealPasswordAsync(_owner, _ivan.EmployeeId).Result.Value));
    }

    [Fact]
    public async Task The_block_links_the_sip_instructions_and_client_downloads()
    {
        await using var ctx = new ConsoleBunitContext(_core);

        var cut = ctx.Render<SipDataBlock>(p => p.Add(b => b.Caller, _owner).Add(b => b.EmployeeId, _ivan.EmployeeId));

        cut.WaitForAssertion(() => Assert.Equal($"/employees/{_ivan.EmployeeId}/sip-instructions",
            cut.Find("[data-testid=sip-instructions]").GetAttribute("href")));
    }
}
