using Bunit;
using LPTracker.Core.Calls;
using LPTracker.Core.Permissions;
using LPTracker.Tests.Core.Calls;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Calls;
using LPTracker.Web.Components.Pages.Calls;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LPTracker.Tests.Web.Calls;

public sealed class CallLogPageTests : IAsyncLifetime
{
    private readonly List<string> _dialled = [];
    private CallsTestHost _host = default!;
    private ConsoleBunitContext _bunit = default!;

    public async Task InitializeAsync()
    {
        _host = await CallsTestHost.StartAsync(b => b.Services.AddSingleton<IClickToCallDialer>(new ListDialer(_dialled)));
        _bunit = new ConsoleBunitContext(_host.Core);
        _bunit.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    public async Task DisposeAsync()
    {
        await _bunit.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task The_missed_filter_lists_the_missed_call_and_call_back_dials_it()
    {
        var (owner, project) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var answered = _host.Start(owner, project, client: "+79160000001");
        _host.Answer(answered, _host.Ring(answered, ivan, project), ivan, project);
        _host.End(answered, owner, CallOutcome.Answered, ivan);
        var missed = _host.Start(owner, project, client: "+79160000002");
        _host.Ring(missed, ivan, project);
        _host.End(missed, owner, CallOutcome.CallerHungUp);
        await _host.LoggedAsync(missed, owner, c => c.Outcome is not null);
        _bunit.SignInAs(ivan);
        var snackbar = _bunit.Render<MudSnackbarProvider>();
        var page = _bunit.Render<CallLog>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=call-row]").Count));

        await page.Find("[data-testid=calls-missed]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=call-row]")));
        await page.Find("[data-testid=call-back]").ClickAsync(new());

        Assert.Contains("+7 916 000-00-02", page.Find("[data-testid=call-client]").TextContent, StringComparison.Ordinal);
        snackbar.WaitForAssertion(() => Assert.Contains("сначала зазвонит ваш телефон", snackbar.Markup, StringComparison.Ordinal));
        Assert.Equal(["+79160000002"], _dialled);
        Assert.NotNull(page.Find("[data-testid=own-calls-note]"));
    }

    [Fact]
    public async Task A_call_that_starts_ringing_appears_without_a_reload_and_a_hidden_number_reads_as_hidden()
    {
        var (owner, project) = await _host.SignUpAsync();
        var boss = await _host.AddEmployeeAsync(owner, "boss", CommonSections.Telephony);
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        await _host.SetAsync(boss, e => e.HideClientNumber = true);
        _bunit.SignInAs(boss);
        var page = _bunit.Render<CallLog>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=no-calls]")));

        _host.Ring(_host.Start(owner, project), ivan, project);

        // The page coalesces reloads within a window on its clock, here a fake one: when the log writes the call and
        // its leg in two batches (a loaded machine), the trailing reload waits for that clock, so move it as time would.
        using var stop = new CancellationTokenSource();
        var clock = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                _host.Core.Time.Advance(TimeSpan.FromMilliseconds(300));
                await Task.Delay(100);
            }
        });
        try
        {
            page.WaitForAssertion(() =>
            {
                Assert.Equal("номер скрыт", page.Find("[data-testid=call-client]").TextContent);
                Assert.Equal("Звонит…", page.Find("[data-testid=call-result]").TextContent);
                Assert.Contains("ivan", page.Find("[data-testid=call-leg]").TextContent, StringComparison.Ordinal);
            }, TimeSpan.FromSeconds(10));
        }
        finally
        {
            await stop.CancelAsync();
            await clock;
        }
    }

    [Fact]
    public async Task The_pop_up_shows_number_hidden_to_an_employee_who_hides_numbers_and_closes_when_the_leg_ends()
    {
        var (owner, project) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        await _host.SetAsync(ivan, e => e.HideClientNumber = true);
        _bunit.SignInAs(ivan);
        var popUp = _bunit.Render<IncomingCallPopUp>();
        var call = _host.Start(owner, project);

        var leg = _host.Ring(call, ivan, project);
        popUp.WaitForAssertion(() => Assert.Equal("номер скрыт", popUp.Find("[data-testid=incoming-number]").TextContent.Trim()), TimeSpan.FromSeconds(10));
        _host.EndLeg(call, leg, ivan, CallOutcome.Declined);

        popUp.WaitForAssertion(() => Assert.Empty(popUp.FindAll("[data-testid=incoming-call]")), TimeSpan.FromSeconds(10));
    }

    private sealed class ListDialer(List<string> dialled) : IClickToCallDialer
    {
        public Task<(ClickToCallStart Result, Guid? CallId)> StartAsync(
            int accountId, int employeeId, int projectId, string clientE164, CancellationToken cancellationToken)
        {
            lock (dialled)
            {
                dialled.Add(clientE164);
            }

            return Task.FromResult<(ClickToCallStart, Guid?)>((ClickToCallStart.Started, Guid.NewGuid()));
        }
    }
}
