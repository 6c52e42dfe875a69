using System.Globalization;
using LPTracker.Core.Employees;
using LPTracker.Core.Numbers;
using LPTracker.Core.Permissions;
using LPTracker.Core.Projects;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Numbers;

public sealed class NumberServiceTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public NumberServiceTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private NumberService Numbers => _host.Get<NumberService>();

    [Fact]
    public async Task A_number_typed_in_any_format_is_added_as_e164_and_listed()
    {
        var project = (await Numbers.ListAsync(_owner)).Value!.Projects.Single();

        var added = await Numbers.AddAsync(_owner, new AddNumberRequest { Number = "8 (812) 389-32-98", ProjectId = project.Id });

        Assert.True(added.Succeeded, added.Summary);
        var row = Assert.Single((await Numbers.ListAsync(_owner)).Value!.Numbers);
        Assert.Equal(("+78123893298", "+7 812 389-32-98", project.Id, false), (row.E164, row.Display, row.ProjectId, row.InUse));
    }

    [Theory]
    [InlineData("", "Заполните это поле.")]
    [InlineData("номер", "Введите номер телефона")]
    [InlineData("123", "Введите номер телефона")]
    public async Task Something_that_is_not_a_phone_number_is_not_added(string input, string reason)
    {
        var added = await Numbers.AddAsync(_owner, new AddNumberRequest { Number = input });

        Assert.StartsWith(reason, added.ErrorFor(nameof(AddNumberRequest.Number)), StringComparison.Ordinal);
        Assert.Empty((await Numbers.ListAsync(_owner)).Value!.Numbers);
    }

    [Fact]
    public async Task The_same_number_is_not_added_twice()
    {
        await Numbers.AddAsync(_owner, new AddNumberRequest { Number = "+78123893298" });

        var again = await Numbers.AddAsync(_owner, new AddNumberRequest { Number = "8 812 389 32 98" });

        Assert.Equal("Этот номер уже есть в списке.", again.ErrorFor(nameof(AddNumberRequest.Number)));
    }

    [Fact]
    public async Task A_number_of_another_account_is_not_added()
    {
        var other = await _host.SignUpAsync();
        await Numbers.AddAsync(other, new AddNumberRequest { Number = "+78123893298" });

        var added = await Numbers.AddAsync(_owner, new AddNumberRequest { Number = "+78123893298" });

        Assert.Equal("Этот номер подключён к другому аккаунту.", added.ErrorFor(nameof(AddNumberRequest.Number)));
    }

    [Fact]
    public async Task An_employees_real_phone_is_not_added_as_a_virtual_number()
    {
        var editor = _host.Get<EmployeeEditorService>();
        var form = EditorArrange.ValidNewForm((await editor.NewAsync(_owner)).Value!);
        await editor.CreateAsync(_owner, form);

        var added = await Numbers.AddAsync(_owner, new AddNumberRequest { Number = form.Phone! });

        Assert.Contains("Иван Петров", added.ErrorFor(nameof(AddNumberRequest.Number)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_number_is_bound_to_a_project_and_unbound()
    {
        var id = (await Numbers.AddAsync(_owner, new AddNumberRequest { Number = "+78123893298" })).Value;
        var project = (await Numbers.ListAsync(_owner)).Value!.Projects.Single();

        await Numbers.BindAsync(_owner, id, project.Id);
        var bound = (await Numbers.ListAsync(_owner)).Value!.Numbers.Single().ProjectId;
        await Numbers.BindAsync(_owner, id, null);
        var unbound = (await Numbers.ListAsync(_owner)).Value!.Numbers.Single().ProjectId;

        Assert.Equal((project.Id, (int?)null), (bound, unbound));
    }

    [Fact]
    public async Task A_number_cannot_be_bound_to_another_accounts_project()
    {
        var other = await _host.SignUpAsync();
        var foreign = (await _host.Get<ProjectService>().ListAsync(other)).Single();
        var id = (await Numbers.AddAsync(_owner, new AddNumberRequest { Number = "+78123893298" })).Value;

        var result = await Numbers.BindAsync(_owner, id, foreign.Id);

        Assert.False(result.Succeeded);
        Assert.Null((await Numbers.ListAsync(_owner)).Value!.Numbers.Single().ProjectId);
    }

    [Fact]
    public async Task An_unused_number_is_removed()
    {
        var id = (await Numbers.AddAsync(_owner, new AddNumberRequest { Number = "+78123893298" })).Value;

        var result = await Numbers.RemoveAsync(_owner, id);

        Assert.True(result.Succeeded);
        Assert.Empty((await Numbers.ListAsync(_owner)).Value!.Numbers);
    }

    [Fact]
    public async Task A_number_in_use_is_not_removed_and_the_error_says_where_it_is_used()
    {
        var id = (await Numbers.AddAsync(_owner, new AddNumberRequest { Number = "+78123893201" })).Value;
        var editor = _host.Get<EmployeeEditorService>();
        var form = EditorArrange.ValidNewForm((await editor.NewAsync(_owner)).Value!);
        form.DisplayedNumberId = id;
        Assert.True((await editor.CreateAsync(_owner, form)).Succeeded);
        var strategy = (await _host.Get<CallStrategyService>().GetAsync(_owner)).Value!.Projects.Single();
        strategy.SingleNumberId = id;
        await _host.Get<CallStrategyService>().SaveAsync(_owner, strategy);

        var result = await Numbers.RemoveAsync(_owner, id);

        Assert.Equal("Номер +7 812 389-32-01 нельзя удалить, он используется: отображаемый номер сотрудников — Иван Петров; "
            + "единый номер проектов — Проект 1. Сначала выберите другой номер там.", result.Summary);
        var row = Assert.Single((await Numbers.ListAsync(_owner)).Value!.Numbers);
        Assert.Equal(["Иван Петров"], row.DisplayedFor);
        Assert.Equal(["Проект 1"], row.SingleFor);
    }

    [Fact]
    public async Task Another_accounts_number_cannot_be_removed()
    {
        var other = await _host.SignUpAsync();
        var foreign = (await Numbers.AddAsync(other, new AddNumberRequest { Number = "+78123893298" })).Value;

        var result = await Numbers.RemoveAsync(_owner, foreign);

        Assert.False(result.Succeeded);
        Assert.Single((await Numbers.ListAsync(other)).Value!.Numbers);
    }

    [Fact]
    public async Task The_numbers_page_needs_the_telephony_section()
    {
        var plain = await _host.AddEmployeeAsync(_owner, "plain", CommonSections.Employees);
        var telephonist = await _host.AddEmployeeAsync(_owner, "tel", CommonSections.Telephony);

        var denied = await Numbers.AddAsync(plain, new AddNumberRequest { Number = "+78123893298" });
        var allowed = await Numbers.AddAsync(telephonist, new AddNumberRequest { Number = "+78123893298" });

        Assert.Equal("Недостаточно прав для этого действия.", denied.Summary);
        Assert.True(allowed.Succeeded);
    }
}
