using System.Globalization;
using LPTracker.Core.Permissions;
using LPTracker.Core.Projects;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Projects;

public sealed class CallStrategyServiceTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public CallStrategyServiceTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private CallStrategyService Strategy => _host.Get<CallStrategyService>();

    [Fact]
    public async Task A_projects_single_number_ring_mode_and_timeout_are_saved()
    {
        var numberId = await _host.AddNumberAsync(_owner, "+78123893201");
        var form = (await Strategy.GetAsync(_owner)).Value!.Projects.Single();
        form.SingleNumberId = numberId;
        form.RingMode = RingMode.Sequential;
        form.RingTimeoutSeconds = 45;

        var result = await Strategy.SaveAsync(_owner, form);

        Assert.True(result.Succeeded, result.Summary);
        var saved = (await Strategy.GetAsync(_owner)).Value!.Projects.Single();
        Assert.Equal((numberId, RingMode.Sequential, 45), (saved.SingleNumberId, saved.RingMode, saved.RingTimeoutSeconds));
    }

    [Theory]
    [InlineData(4, "ru-RU", "От 5 до 300 секунд.")]
    [InlineData(301, "ru-RU", "От 5 до 300 секунд.")]
    [InlineData(0, "en-US", "From 5 to 300 seconds.")]
    [InlineData(-30, "en-US", "From 5 to 300 seconds.")]
    public async Task A_ring_timeout_outside_5_to_300_seconds_is_refused(int seconds, string culture, string message)
    {
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        var form = (await Strategy.GetAsync(_owner)).Value!.Projects.Single();
        form.RingTimeoutSeconds = seconds;

        var result = await Strategy.SaveAsync(_owner, form);

        Assert.Equal(message, result.ErrorFor(nameof(CallStrategyForm.RingTimeoutSeconds)));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(300)]
    public async Task The_bounds_of_the_timeout_are_allowed(int seconds)
    {
        var form = (await Strategy.GetAsync(_owner)).Value!.Projects.Single();
        form.RingTimeoutSeconds = seconds;

        var result = await Strategy.SaveAsync(_owner, form);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task An_unknown_ring_mode_is_refused()
    {
        var form = (await Strategy.GetAsync(_owner)).Value!.Projects.Single();
        form.RingMode = (RingMode)7;

        var result = await Strategy.SaveAsync(_owner, form);

        Assert.Equal("Недопустимое значение.", result.ErrorFor(nameof(CallStrategyForm.RingMode)));
    }

    [Fact]
    public async Task Another_accounts_number_cannot_be_the_single_number()
    {
        var other = await _host.SignUpAsync();
        var foreign = await _host.AddNumberAsync(other, "+78123893201");
        var form = (await Strategy.GetAsync(_owner)).Value!.Projects.Single();
        form.SingleNumberId = foreign;

        var result = await Strategy.SaveAsync(_owner, form);

        Assert.NotNull(result.ErrorFor(nameof(CallStrategyForm.SingleNumberId)));
        Assert.Null((await Strategy.GetAsync(_owner)).Value!.Projects.Single().SingleNumberId);
    }

    [Fact]
    public async Task Another_accounts_project_cannot_be_changed()
    {
        var other = await _host.SignUpAsync();
        var foreign = (await Strategy.GetAsync(other)).Value!.Projects.Single();
        foreign.RingTimeoutSeconds = 99;

        var result = await Strategy.SaveAsync(_owner, foreign);

        Assert.False(result.Succeeded);
        Assert.NotEqual(99, (await Strategy.GetAsync(other)).Value!.Projects.Single().RingTimeoutSeconds);
    }

    [Fact]
    public async Task The_call_strategy_needs_the_telephony_section()
    {
        var plain = await _host.AddEmployeeAsync(_owner, "plain", CommonSections.Employees);

        var result = await Strategy.GetAsync(plain);

        Assert.Equal("Недостаточно прав для этого действия.", result.Summary);
    }
}
