using System.Globalization;
using LPTracker.Core.Live;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LPTracker.Tests.Core.Employees;

public sealed class EditorSipDataTests : IAsyncLifetime
{
    private readonly RecordingSipEvents _events = new();
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;
    private CallerContext _ivan = null!;

    public EditorSipDataTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Sip:Domain"] = "sip.example.com",
                ["Sip:PublicHost"] = "pbx.example.com",
                ["Sip:PublicPort"] = "5080",
                ["Sip:Transports:0"] = "TCP",
                ["Sip:ClientDownloads:Linphone"] = "https://www.linphone.org/en/download/",
            });
            b.Services.AddSingleton<ISipAccountEvents>(_events);
        });
        _owner = await _host.SignUpAsync();
        _ivan = await _host.AddEmployeeAsync(_owner, "ivan");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private SipDataService Sip => _host.Get<SipDataService>();

    [Fact]
    public async Task Before_generation_the_block_shows_the_server_but_no_account()
    {
        var view = (await Sip.GetAsync(_owner, _ivan.EmployeeId)).Value!;

        Assert.False(view.Exists);
        Assert.Null(view.UserName);
        Assert.Equal(("pbx.example.com", 5080, "sip.example.com"), (view.Server, view.Port, view.Domain));
        Assert.Equal("https://www.linphone.org/en/download/", view.ClientDownloads["Linphone"]);
    }

    [Fact]
    public async Task Each_configured_transport_is_shown_once()
    {
        var view = (await Sip.GetAsync(_owner, _ivan.EmployeeId)).Value!;

        Assert.Equal(view.Transports.Distinct(), view.Transports);
        Assert.Contains("TCP", view.Transports);
    }

    [Fact]
    public async Task Generating_creates_a_user_name_and_a_password_whose_hashes_are_stored()
    {
        var view = (await Sip.GenerateAsync(_owner, _ivan.EmployeeId)).Value!;
        var password = (await Sip.RevealPasswordAsync(_owner, _ivan.EmployeeId)).Value!;

        await using var db = _host.OpenSystemContext();
        var stored = await db.SipAccounts.IgnoreQueryFilters().SingleAsync(s => s.EmployeeId == _ivan.EmployeeId);
        Assert.True(view.Exists);
        Assert.EndsWith($"_{_ivan.EmployeeId}", view.UserName, StringComparison.Ordinal);
        Assert.True(password.Length >= 16);
        Assert.Equal(SipDigest.Ha1Md5(stored.UserName, "sip.example.com", password), stored.Ha1Md5);
        Assert.Equal(SipDigest.Ha1Sha256(stored.UserName, "sip.example.com", password), stored.Ha1Sha256);
        Assert.DoesNotContain(password, stored.ProtectedPassword, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generating_twice_is_refused_so_nothing_is_replaced_by_accident()
    {
        await Sip.GenerateAsync(_owner, _ivan.EmployeeId);
        var password = (await Sip.RevealPasswordAsync(_owner, _ivan.EmployeeId)).Value;

        var again = await Sip.GenerateAsync(_owner, _ivan.EmployeeId);

        Assert.Equal("SIP-данные уже созданы. Чтобы заменить их, сгенерируйте заново.", again.Summary);
        Assert.Equal(password, (await Sip.RevealPasswordAsync(_owner, _ivan.EmployeeId)).Value);
    }

    [Fact]
    public async Task Regenerating_replaces_the_password_and_tells_the_telephony_module()
    {
        var first = (await Sip.GenerateAsync(_owner, _ivan.EmployeeId)).Value!;
        var before = (await Sip.RevealPasswordAsync(_owner, _ivan.EmployeeId)).Value;
        var changes = new List<EmployeeChange>();
        using var subscription = _host.Get<ChangeNotifier>().Subscribe(_owner.AccountId, changes.Add);

        var result = await Sip.RegenerateAsync(_owner, _ivan.EmployeeId);

        Assert.True(result.Succeeded);
        Assert.Equal(first.UserName, result.Value!.UserName);
        Assert.NotEqual(before, (await Sip.RevealPasswordAsync(_owner, _ivan.EmployeeId)).Value);
        Assert.Equal([(_owner.AccountId, _ivan.EmployeeId, first.UserName!)], _events.Replaced);
        Assert.Equal([new EmployeeChange(_owner.AccountId, _ivan.EmployeeId, EmployeeChangeKind.SipStatus)], changes);
    }

    [Fact]
    public async Task Regenerating_or_revealing_before_generation_says_there_is_nothing_yet()
    {
        var regenerated = await Sip.RegenerateAsync(_owner, _ivan.EmployeeId);
        var revealed = await Sip.RevealPasswordAsync(_owner, _ivan.EmployeeId);

        Assert.Equal("SIP-данные ещё не созданы.", regenerated.Summary);
        Assert.Equal("SIP-данные ещё не созданы.", revealed.Summary);
        Assert.Empty(_events.Replaced);
    }

    [Fact]
    public async Task An_employee_without_the_employees_section_cannot_see_sip_passwords()
    {
        await Sip.GenerateAsync(_owner, _ivan.EmployeeId);

        var own = await Sip.RevealPasswordAsync(_ivan, _ivan.EmployeeId);

        Assert.Equal("Недостаточно прав для этого действия.", own.Summary);
    }

    [Fact]
    public async Task Another_accounts_employee_has_no_sip_data_here()
    {
        var other = await _host.SignUpAsync();
        var stranger = await _host.AddEmployeeAsync(other, "petr");

        var generated = await Sip.GenerateAsync(_owner, stranger.EmployeeId);

        Assert.False(generated.Succeeded);
        await using var db = _host.OpenSystemContext();
        Assert.False(await db.SipAccounts.IgnoreQueryFilters().AnyAsync(s => s.EmployeeId == stranger.EmployeeId));
    }

    private sealed class RecordingSipEvents : ISipAccountEvents
    {
        public List<(int, int, string)> Replaced { get; } = [];

        public Task OnCredentialsReplacedAsync(int accountId, int employeeId, string userName, CancellationToken ct = default)
        {
            Replaced.Add((accountId, employeeId, userName));
            return Task.CompletedTask;
        }

        public Task OnAccountRemovedAsync(int accountId, int employeeId, string userName, CancellationToken ct = default) =>
            throw new InvalidOperationException("The SIP data service never deletes accounts.");
    }
}
