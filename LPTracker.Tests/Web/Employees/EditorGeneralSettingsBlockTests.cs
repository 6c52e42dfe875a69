using Bunit;
using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Employees.Editor;

namespace LPTracker.Tests.Web.Employees;

public sealed class EditorGeneralSettingsBlockTests : IAsyncLifetime
{
    private CoreTestHost _core = null!;
    private CallerContext _owner = null!;

    public async Task InitializeAsync()
    {
        _core = await CoreTestHost.StartAsync();
        _owner = await _core.SignUpAsync();
    }

    public async Task DisposeAsync() => await _core.DisposeAsync();

    private EmployeeEditorService Editor => _core.Get<EmployeeEditorService>();

    [Fact]
    public async Task Choosing_the_lptracker_sim_asks_for_the_sim_number()
    {
        var state = new EditorState((await Editor.NewAsync(_owner)).Value!, _owner);
        await using var ctx = new ConsoleBunitContext(_core);
        var cut = ctx.Render<GeneralSettingsBlock>(p => p.Add(b => b.State, state));
        Assert.Empty(cut.FindAll("input[data-testid=sim-number]"));

        cut.Find("input[data-testid=receiving-sim]").Click();

        Assert.Equal(CallReceivingMethod.Sim, state.Form.CallReceiving);
        Assert.NotNull(cut.Find("input[data-testid=sim-number]"));
    }

    [Fact]
    public async Task Choosing_the_mobile_says_calls_go_to_the_phone_and_rechecks_it()
    {
        var state = new EditorState((await Editor.NewAsync(_owner)).Value!, _owner);
        var changed = new List<string>();
        await using var ctx = new ConsoleBunitContext(_core);
        var cut = ctx.Render<GeneralSettingsBlock>(p => p.Add(b => b.State, state).Add(b => b.FieldChanged, (string f) => changed.Add(f)));

        cut.Find("input[data-testid=receiving-mobile]").Click();

        Assert.Contains("Звонки пойдут на номер из поля «Телефон».", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Phone", changed);
    }

    [Fact]
    public async Task Hiding_the_clients_number_explains_the_placeholder_number()
    {
        var state = new EditorState((await Editor.NewAsync(_owner)).Value!, _owner);
        await using var ctx = new ConsoleBunitContext(_core);
        var cut = ctx.Render<GeneralSettingsBlock>(p => p.Add(b => b.State, state));

        cut.Find("input[data-testid=hide-client-number]").Change(true);

        Assert.True(state.Form.HideClientNumber);
        Assert.Contains("+7 (812) 389-32-98", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ticking_a_common_section_adds_it_to_the_form()
    {
        var state = new EditorState((await Editor.NewAsync(_owner)).Value!, _owner);
        await using var ctx = new ConsoleBunitContext(_core);
        var cut = ctx.Render<GeneralSettingsBlock>(p => p.Add(b => b.State, state));

        cut.Find("input[data-testid=section-Balance]").Change(true);
        cut.Find("input[data-testid=section-SiteBuilder]").Change(true);

        Assert.Equal(CommonSections.Balance | CommonSections.SiteBuilder, state.Form.CommonSections);
    }

    [Fact]
    public async Task Sections_the_caller_lacks_cannot_be_ticked_and_its_own_employees_access_cannot_be_removed()
    {
        var admin = await _core.AddEmployeeAsync(_owner, "admin", CommonSections.Employees | CommonSections.Telephony);
        var state = new EditorState((await Editor.GetAsync(admin, admin.EmployeeId)).Value!, admin);
        await using var ctx = new ConsoleBunitContext(_core);

        var cut = ctx.Render<GeneralSettingsBlock>(p => p.Add(b => b.State, state));

        Assert.True(cut.Find("input[data-testid=section-Balance]").HasAttribute("disabled"));
        Assert.True(cut.Find("input[data-testid=section-Employees]").HasAttribute("disabled"));
        Assert.False(cut.Find("input[data-testid=section-Telephony]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task The_main_account_has_no_section_checkboxes()
    {
        var state = new EditorState((await Editor.GetAsync(_owner, _owner.EmployeeId)).Value!, _owner);
        await using var ctx = new ConsoleBunitContext(_core);

        var cut = ctx.Render<GeneralSettingsBlock>(p => p.Add(b => b.State, state));

        Assert.Empty(cut.FindAll("input[data-testid^=section-]"));
        Assert.NotNull(cut.Find("input[data-testid=popup-contact-card]"));
    }

    [Fact]
    public async Task A_service_error_about_sections_is_shown_under_them()
    {
        var state = new EditorState((await Editor.NewAsync(_owner)).Value!, _owner);
        state.Errors.Set([new("CommonSections", "Нельзя выдать «Баланс»: у вас самих этого права нет.")]);
        await using var ctx = new ConsoleBunitContext(_core);

        var cut = ctx.Render<GeneralSettingsBlock>(p => p.Add(b => b.State, state));

        Assert.Equal("Нельзя выдать «Баланс»: у вас самих этого права нет.", cut.Find("[data-testid=sections-error]").TextContent);
    }
}
