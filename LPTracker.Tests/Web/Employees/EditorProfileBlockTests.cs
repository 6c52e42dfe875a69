using Bunit;
using LPTracker.Core.Employees;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Employees.Editor;
using Microsoft.AspNetCore.Components.Forms;

namespace LPTracker.Tests.Web.Employees;

public sealed class EditorProfileBlockTests : IAsyncLifetime
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
    public async Task The_login_shows_the_fixed_account_prefix_and_only_the_rest_is_editable()
    {
        var state = new EditorState((await Editor.NewAsync(_owner)).Value!, _owner);
        await using var ctx = new ConsoleBunitContext(_core);

        var cut = ctx.Render<ProfileBlock>(p => p.Add(b => b.State, state));
        cut.Find("[data-testid=login]").Change("ivan");

        Assert.Equal(state.Model.LoginPrefix, cut.Find(".mud-input-adornment-text").TextContent);
        Assert.Equal("ivan", state.Form.LoginSuffix);
    }

    [Fact]
    public async Task A_new_employee_gets_a_password_field_and_an_existing_one_a_change_password_button()
    {
        var ivan = await _core.AddEmployeeAsync(_owner, "ivan");
        var fresh = new EditorState((await Editor.NewAsync(_owner)).Value!, _owner);
        var existing = new EditorState((await Editor.GetAsync(_owner, ivan.EmployeeId)).Value!, _owner);
        await using var ctx = new ConsoleBunitContext(_core);

        var forNew = ctx.Render<ProfileBlock>(p => p.Add(b => b.State, fresh));
        var forExisting = ctx.Render<ProfileBlock>(p => p.Add(b => b.State, existing));

        Assert.NotNull(forNew.Find("input[data-testid=password]"));
        Assert.Empty(forExisting.FindAll("input[data-testid=password]"));
        forExisting.Find("[data-testid=change-password]").Click();
        Assert.Equal("Новый пароль", forExisting.Find("label[for='" + forExisting.Find("input[data-testid=password]").Id + "']").TextContent);
    }

    [Fact]
    public async Task The_displayed_number_help_explains_which_number_the_client_sees()
    {
        var state = new EditorState((await Editor.NewAsync(_owner)).Value!, _owner);
        await using var ctx = new ConsoleBunitContext(_core);

        var help = ctx.Render<ProfileBlock>(p => p.Add(b => b.State, state)).Find("[data-testid=displayed-help]").TextContent;

        Assert.Contains("Прямые исходящие", help, StringComparison.Ordinal);
        Assert.Contains("Исходящие из CRM", help, StringComparison.Ordinal);
        Assert.Contains("Звонки виджетов", help, StringComparison.Ordinal);
        Assert.Contains("единый номер", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_displayed_number_offers_the_accounts_virtual_numbers()
    {
        await _core.AddNumberAsync(_owner, "+78123893201");
        var state = new EditorState((await Editor.NewAsync(_owner)).Value!, _owner);
        await using var ctx = new ConsoleBunitContext(_core);
        var popovers = ctx.RenderPopoverProvider();
        var cut = ctx.Render<ProfileBlock>(p => p.Add(b => b.State, state));

        await cut.Find("[data-testid=displayed-number]").MouseDownAsync(new());

        popovers.WaitForAssertion(() => Assert.Contains("+7 812 389-32-01", popovers.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_uploaded_photo_is_previewed_and_kept_in_the_form()
    {
        var state = new EditorState((await Editor.NewAsync(_owner)).Value!, _owner);
        await using var ctx = new ConsoleBunitContext(_core);
        var cut = ctx.Render<ProfileBlock>(p => p.Add(b => b.State, state));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(EditorImages.Png(400, 300), "me.jpg", contentType: "image/jpeg"));

        cut.WaitForAssertion(() => Assert.StartsWith("data:image/jpeg;base64,", cut.Find("[data-testid=photo] img").GetAttribute("src"), StringComparison.Ordinal));
        Assert.True(_core.Get<PhotoService>().IsStored(state.Form.PhotoFile));
    }

    [Fact]
    public async Task A_text_file_posing_as_a_photo_shows_why_it_was_refused()
    {
        var state = new EditorState((await Editor.NewAsync(_owner)).Value!, _owner);
        await using var ctx = new ConsoleBunitContext(_core);
        var cut = ctx.Render<ProfileBlock>(p => p.Add(b => b.State, state));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("not an image", "photo.png", contentType: "image/png"));

        cut.WaitForAssertion(() => Assert.Equal("Это не изображение JPEG, PNG или WebP.", cut.Find("[data-testid=photo-error]").TextContent));
        Assert.Null(state.Form.PhotoFile);
    }

    [Fact]
    public async Task A_photo_over_5_mb_is_refused_before_it_is_read()
    {
        var state = new EditorState((await Editor.NewAsync(_owner)).Value!, _owner);
        await using var ctx = new ConsoleBunitContext(_core);
        var cut = ctx.Render<ProfileBlock>(p => p.Add(b => b.State, state));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(new byte[(6 * 1024 * 1024) + 1], "big.jpg"));

        cut.WaitForAssertion(() => Assert.Equal("Файл больше 5 МБ. Выберите фото поменьше.", cut.Find("[data-testid=photo-error]").TextContent));
    }

    [Fact]
    public async Task The_main_accounts_login_is_its_e_mail_and_read_only()
    {
        var state = new EditorState((await Editor.GetAsync(_owner, _owner.EmployeeId)).Value!, _owner);
        await using var ctx = new ConsoleBunitContext(_core);

        var cut = ctx.Render<ProfileBlock>(p => p.Add(b => b.State, state));

        var login = cut.Find("input[data-testid=login-main]");
        Assert.True(login.HasAttribute("readonly"));
        Assert.Equal(state.Original.Email, login.GetAttribute("value"));
        Assert.Empty(cut.FindAll("input[data-testid=login]"));
    }

    [Fact]
    public async Task Changing_a_field_reports_which_one_changed()
    {
        var state = new EditorState((await Editor.NewAsync(_owner)).Value!, _owner);
        var changed = new List<string>();
        await using var ctx = new ConsoleBunitContext(_core);
        var cut = ctx.Render<ProfileBlock>(p => p.Add(b => b.State, state).Add(b => b.FieldChanged, (string f) => changed.Add(f)));

        cut.Find("input[data-testid=phone]").Change("8 812 389 32 98");

        Assert.Equal(["Phone"], changed);
        Assert.Equal("8 812 389 32 98", state.Form.Phone);
    }
}
