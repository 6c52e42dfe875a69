using LPTracker.Core.Calls;
using LPTracker.Core.Projects;
using Microsoft.Extensions.DependencyInjection;

namespace LPTracker.Tests.Core.Calls;

/// <summary>
/// Click-to-call up to the PBX's door. The dialer here records what Core hands it: the B2BUA that implements it is
/// another module, and these tests are about the rights and the number Core passes on.
/// </summary>
public sealed class CallServiceTests : IAsyncLifetime
{
    private readonly RecordingDialer _dialer = new();
    private CallsTestHost _host = default!;

    public async Task InitializeAsync() => _host = await CallsTestHost.StartAsync(b => b.Services.AddSingleton<IClickToCallDialer>(_dialer));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private CallService Calls => _host.Core.Get<CallService>();

    [Theory]
    [InlineData("8 (812) 389-32-98", "+78123893298")]
    [InlineData("+7 916 123-45-67", "+79161234567")]
    [InlineData("9161234567", "+79161234567")]
    public async Task The_number_reaches_the_pbx_in_e164_with_the_caller_and_project(string typed, string e164)
    {
        var (owner, project) = await _host.SignUpAsync();

        var result = await Calls.ClickToCallAsync(owner, typed, project);

        Assert.True(result.Succeeded, result.Summary);
        Assert.Equal((owner.AccountId, owner.EmployeeId, project, e164), Assert.Single(_dialer.Calls));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("12")]
    public async Task A_bad_number_is_refused_with_a_message_and_nothing_is_dialled(string typed)
    {
        var (owner, project) = await _host.SignUpAsync();

        var result = await Calls.ClickToCallAsync(owner, typed, project);

        Assert.Equal("Введите номер телефона, например +7 812 389-32-98.", result.ErrorFor("Number"));
        Assert.Empty(_dialer.Calls);
    }

    [Fact]
    public async Task A_project_the_employee_has_no_access_to_is_refused()
    {
        var (owner, _) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var hidden = await _host.Core.Get<ProjectService>().CreateAsync(owner, "Закрытый");

        var result = await Calls.ClickToCallAsync(ivan, "+79161234567", hidden.Value!.Id);

        Assert.False(result.Succeeded);
        Assert.Empty(_dialer.Calls);
    }

    [Fact]
    public async Task Another_account_s_project_is_refused()
    {
        var (owner, _) = await _host.SignUpAsync();
        var (_, otherProject) = await _host.SignUpAsync();

        var result = await Calls.ClickToCallAsync(owner, "+79161234567", otherProject);

        Assert.False(result.Succeeded);
        Assert.Empty(_dialer.Calls);
    }

    [Fact]
    public async Task What_the_pbx_answers_is_told_to_the_employee()
    {
        var (owner, project) = await _host.SignUpAsync();
        _dialer.Answer = ClickToCallStart.EmployeeUnreachable;

        var result = await Calls.ClickToCallAsync(owner, "+79161234567", project);

        Assert.StartsWith("Ваш телефон недоступен", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calling_back_a_missed_call_dials_its_number_even_for_an_employee_who_cannot_see_it()
    {
        var (owner, project) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        await _host.SetAsync(ivan, e => e.HideClientNumber = true);
        var call = _host.Start(owner, project, client: "+79160000001");
        _host.Ring(call, ivan, project);
        _host.End(call, owner, CallOutcome.NoAnswer);
        await _host.LoggedAsync(call, owner, c => c.Outcome is not null);

        var result = await Calls.CallBackAsync(ivan, call);

        Assert.True(result.Succeeded, result.Summary);
        Assert.Equal((ivan.EmployeeId, "+79160000001"), (Assert.Single(_dialer.Calls).EmployeeId, _dialer.Calls[0].Number));
    }

    [Fact]
    public async Task A_call_the_employee_did_not_take_part_in_cannot_be_called_back_by_them()
    {
        var (owner, project) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var call = _host.Start(owner, project);
        _host.End(call, owner, CallOutcome.NobodyWorking);
        await _host.LoggedAsync(call, owner, c => c.Outcome is not null);

        var result = await Calls.CallBackAsync(ivan, call);

        Assert.False(result.Succeeded);
        Assert.Empty(_dialer.Calls);
    }

    private sealed class RecordingDialer : IClickToCallDialer
    {
        public List<(int AccountId, int EmployeeId, int ProjectId, string Number)> Calls { get; } = [];

        public ClickToCallStart Answer { get; set; } = ClickToCallStart.Started;

        public Task<(ClickToCallStart Result, Guid? CallId)> StartAsync(
            int accountId, int employeeId, int projectId, string clientE164, CancellationToken cancellationToken)
        {
            lock (Calls)
            {
                Calls.Add((accountId, employeeId, projectId, clientE164));
            }

            return Task.FromResult<(ClickToCallStart, Guid?)>((Answer, Answer == ClickToCallStart.Started ? Guid.NewGuid() : null));
        }
    }
}
