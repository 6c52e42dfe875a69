using LPTracker.Core.Accounts;
using LPTracker.Core.Employees;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Accounts;

/// <summary>Forgot password and invitations against a real SMTP server: arrival, single use, expiry, neutrality.</summary>
public sealed class PasswordLinksTests : IAsyncLifetime
{
    private const string Base = "http://console.test";
    private SmtpTestServer _smtp = null!;
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;
    private string _ownerEmail = "";

    public PasswordLinksTests() => System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartAsync();
        _host = await CoreTestHost.StartAsync(b =>
        {
            b.Configuration["Smtp:Host"] = "127.0.0.1";
            b.Configuration["Smtp:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        _ownerEmail = $"owner-{Guid.NewGuid():N}@example.com";
        _owner = await _host.SignUpAsync(_ownerEmail);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    private PasswordLinks Links => _host.Get<PasswordLinks>();

    private static string TokenOf(string link) => link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..];

    private async Task<string> RequestResetTokenAsync(string login)
    {
        await Links.RequestResetAsync(login, Base, "192.0.2.1");
        var message = await _smtp.NextAsync();
        Assert.Equal(login, message.To.Mailboxes.Single().Address);
        var link = SmtpTestServer.LinkIn(message);
        Assert.StartsWith($"{Base}/account/password?token=", link, StringComparison.Ordinal);
        return TokenOf(link);
    }

    [Fact]
    public async Task A_reset_link_arrives_sets_the_password_once_and_ends_other_sessions()
    {
        var stampBefore = (await _host.FindEmployeeAsync(_owner.EmployeeId))!.SecurityStamp;
        var token = await RequestResetTokenAsync(_ownerEmail);

        var first = await Links.SetPasswordAsync(token, "brandnew123", "brandnew123");
        var replay = await Links.SetPasswordAsync(token, "another123", "another123");

        Assert.True(first.Succeeded, first.Summary);
        Assert.False(replay.Succeeded);
        Assert.Contains("недействительна", replay.Summary, StringComparison.Ordinal);
        Assert.NotEqual(stampBefore, (await _host.FindEmployeeAsync(_owner.EmployeeId))!.SecurityStamp);
        Assert.Equal(SignInStatus.Succeeded, (await _host.Get<SignInService>().SignInAsync(_ownerEmail, "brandnew123")).Status);
        Assert.Equal(SignInStatus.InvalidCredentials, (await _host.Get<SignInService>().SignInAsync(_ownerEmail, "another123")).Status);
    }

    [Fact]
    public async Task A_link_older_than_an_hour_is_refused()
    {
        var token = await RequestResetTokenAsync(_ownerEmail);
        _host.Time.Advance(TimeSpan.FromMinutes(61));

        var result = await Links.SetPasswordAsync(token, "brandnew123", "brandnew123");

        Assert.False(result.Succeeded);
        Assert.Null(await Links.InspectAsync(token));
    }

    [Theory]
    [InlineData("")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("../../etc/passwd")]
    public async Task A_guessed_or_tampered_token_is_refused(string token)
    {
        var real = await RequestResetTokenAsync(_ownerEmail);

        var guessed = await Links.SetPasswordAsync(token, "brandnew123", "brandnew123");
        var tampered = await Links.SetPasswordAsync(real[..^1] + (real[^1] == 'A' ? 'B' : 'A'), "brandnew123", "brandnew123");

        Assert.False(guessed.Succeeded);
        Assert.False(tampered.Succeeded);
        Assert.NotNull(await Links.InspectAsync(real));
    }

    [Fact]
    public async Task An_unknown_login_sends_nothing_and_answers_like_a_known_one()
    {
        var unknown = Links.RequestResetAsync("nobody@example.com", Base, "192.0.2.2");

        await unknown;

        Assert.True(unknown.IsCompletedSuccessfully);
        Assert.False(await _smtp.AnyWithinAsync(2));
    }

    [Fact]
    public async Task Requests_beyond_three_an_hour_for_one_login_send_nothing()
    {
        for (var i = 0; i < 3; i++)
        {
            await RequestResetTokenAsync(_ownerEmail);
        }

        await Links.RequestResetAsync(_ownerEmail, Base, "192.0.2.1");

        Assert.False(await _smtp.AnyWithinAsync(2));
    }

    [Fact]
    public async Task An_invitation_arrives_and_lets_the_employee_set_their_own_password_once()
    {
        var anna = await _host.AddEmployeeAsync(_owner, "anna");
        await _host.SetEmailAsync(anna, "anna@example.com");

        var sent = await _host.Get<InvitationService>().SendAsync(_owner, anna.EmployeeId, Base);
        var token = TokenOf(SmtpTestServer.LinkIn(await _smtp.NextAsync()));
        var info = await Links.InspectAsync(token);
        var set = await Links.SetPasswordAsync(token, "annaown123", "annaown123");

        Assert.True(sent.Succeeded, sent.Summary);
        Assert.Equal(("anna@example.com", false), (sent.Value!.Email, sent.Value.SavedToFolder));
        Assert.Equal(TokenPurpose.Invitation, info!.Purpose);
        Assert.True(set.Succeeded);
        Assert.False((await Links.SetPasswordAsync(token, "again12345", "again12345")).Succeeded);
        var login = (await _host.FindEmployeeAsync(anna.EmployeeId))!.Login;
        Assert.Equal(SignInStatus.Succeeded, (await _host.Get<SignInService>().SignInAsync(login, "annaown123")).Status);
    }

    [Fact]
    public async Task An_invitation_is_refused_for_the_main_account_oneself_and_an_employee_without_e_mail()
    {
        var admin = await _host.AddEmployeeAsync(_owner, "admin", LPTracker.Core.Permissions.CommonSections.Employees);
        var noMail = await _host.AddEmployeeAsync(_owner, "nomail");
        var invitations = _host.Get<InvitationService>();

        Assert.False((await invitations.SendAsync(admin, _owner.EmployeeId, Base)).Succeeded);
        Assert.False((await invitations.SendAsync(admin, admin.EmployeeId, Base)).Succeeded);
        Assert.False((await invitations.SendAsync(admin, noMail.EmployeeId, Base)).Succeeded);
        Assert.False((await invitations.SendAsync(noMail, admin.EmployeeId, Base)).Succeeded);
        Assert.False(await _smtp.AnyWithinAsync(1));
    }
}
