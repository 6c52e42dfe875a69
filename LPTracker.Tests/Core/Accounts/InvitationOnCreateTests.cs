using LPTracker.Core.Accounts;
using LPTracker.Core.Employees;
using LPTracker.Core.Notifications;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Core.Accounts;

/// <summary>
/// A new employee invited instead of given a password, against a real SMTP server: the link arrives and sets the
/// first password; a server that is down leaves the employee created and the send repeatable; a 550 is a bounce.
/// </summary>
public sealed class InvitationOnCreateTests : IAsyncLifetime
{
    private const string Base = "http://console.test";
    private const string Refused = "nobody@bounce.example.com";
    private readonly int _smtpPort = SmtpTestServer.FreePort();
    private SmtpTestServer? _smtp;
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public InvitationOnCreateTests() => System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(b =>
        {
            b.Configuration["Smtp:Host"] = "127.0.0.1";
            b.Configuration["Smtp:Port"] = _smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }
    }

    private InvitationService Invitations => _host.Get<InvitationService>();

    private async Task<SmtpTestServer> StartSmtpAsync() => _smtp = await SmtpTestServer.StartAsync(to => to == Refused, _smtpPort);

    private async Task<Employee> CreateInvitedAsync(string email = "ivan@example.com")
    {
        var form = EditorArrange.ValidNewForm((await _host.Get<EmployeeEditorService>().NewAsync(_owner)).Value!);
        (form.Password, form.SendInvitation, form.Email) = (null, true, email);
        var created = await _host.Get<EmployeeEditorService>().CreateAsync(_owner, form);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Message)));
        return (await _host.FindEmployeeAsync(created.EmployeeId))!;
    }

    [Fact]
    public async Task An_invited_employee_has_no_usable_password_until_the_link_sets_one()
    {
        var smtp = await StartSmtpAsync();
        var ivan = await CreateInvitedAsync();

        var sent = await Invitations.SendAsync(_owner, ivan.Id, Base);
        var message = await smtp.NextAsync();
        var token = SmtpTestServer.LinkIn(message)[(SmtpTestServer.LinkIn(message).IndexOf("token=", StringComparison.Ordinal) + 6)..];
        var before = await _host.Get<SignInService>().SignInAsync(ivan.Login, "secret123");
        var set = await _host.Get<PasswordLinks>().SetPasswordAsync(token, "mychoice123", "mychoice123");

        Assert.True(sent.Succeeded, sent.Summary);
        Assert.Equal("", ivan.PasswordHash);
        Assert.Equal("ivan@example.com", message.To.Mailboxes.Single().Address);
        Assert.NotEqual(SignInStatus.Succeeded, before.Status);
        Assert.True(set.Succeeded, set.Summary);
        Assert.Equal(SignInStatus.Succeeded, (await _host.Get<SignInService>().SignInAsync(ivan.Login, "mychoice123")).Status);
    }

    [Fact]
    public async Task An_invitation_instead_of_a_password_needs_an_email_and_no_password()
    {
        var form = EditorArrange.ValidNewForm((await _host.Get<EmployeeEditorService>().NewAsync(_owner)).Value!);
        (form.Password, form.SendInvitation, form.Email) = (null, true, null);

        var result = await _host.Get<EmployeeEditorService>().CreateAsync(_owner, form);

        Assert.False(result.Succeeded);
        Assert.Equal("Для приглашения нужен e-mail сотрудника.", result.ErrorFor(nameof(EmployeeForm.Email)));
        Assert.Null(result.ErrorFor(nameof(EmployeeForm.Password)));
        Assert.Equal(1, await _host.CountEmployeesAsync(_owner.AccountId));
    }

    [Fact]
    public async Task With_the_smtp_server_down_the_employee_is_created_and_the_invitation_can_be_sent_again()
    {
        var ivan = await CreateInvitedAsync();

        var failed = await Invitations.SendAsync(_owner, ivan.Id, Base);
        var smtp = await StartSmtpAsync();
        var resent = await Invitations.SendAsync(_owner, ivan.Id, Base);

        Assert.False(failed.Succeeded);
        Assert.Contains("почтовый сервер недоступен", failed.Summary, StringComparison.Ordinal);
        Assert.NotNull(await _host.FindEmployeeAsync(ivan.Id));
        Assert.True(resent.Succeeded, resent.Summary);
        Assert.Equal("ivan@example.com", (await smtp.NextAsync()).To.Mailboxes.Single().Address);
        Assert.Equal(InvitationState.Pending, (await Invitations.StatusAsync(_owner, ivan.Id)).Value!.State);
    }

    [Fact]
    public async Task A_550_marks_the_invitation_bounced_in_the_editor_and_the_list_and_raises_the_bell()
    {
        await StartSmtpAsync();
        var ivan = await CreateInvitedAsync(Refused);

        var result = await Invitations.SendAsync(_owner, ivan.Id, Base);

        Assert.False(result.Succeeded);
        Assert.Contains("550", result.Summary, StringComparison.Ordinal);
        var status = (await Invitations.StatusAsync(_owner, ivan.Id)).Value!;
        Assert.Equal(InvitationState.Bounced, status.State);
        Assert.StartsWith("550", status.Reason, StringComparison.Ordinal);
        var list = await _host.Get<EmployeeListService>().LoadAsync(_owner, new EmployeeListQuery(EmployeeListScope.All));
        Assert.True(list.Value!.Rows.Single(r => r.Id == ivan.Id).InvitationBounced);
        await using var db = _host.OpenSystemContext();
        var bell = await db.Notifications.IgnoreQueryFilters().AsNoTracking()
            .Where(n => n.AccountId == _owner.AccountId && n.Kind == NotificationKinds.InvitationBounced).ToListAsync();
        var mine = Assert.Single(bell, n => n.RecipientEmployeeId == _owner.EmployeeId);
        Assert.Equal(ivan.Id, mine.SubjectEmployeeId);
        Assert.Contains(Refused, mine.Args);
    }

    [Fact]
    public async Task A_bounced_link_is_dead_and_a_newer_invitation_ends_the_bounce()
    {
        var smtp = await StartSmtpAsync();
        var ivan = await CreateInvitedAsync(Refused);
        await Invitations.SendAsync(_owner, ivan.Id, Base);
        await using (var db = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(_owner.AccountId))
        {
            await db.Employees.Where(e => e.Id == ivan.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.Email, "ivan@example.com"));
        }

        var resent = await Invitations.SendAsync(_owner, ivan.Id, Base);

        Assert.True(resent.Succeeded, resent.Summary);
        await smtp.NextAsync();
        Assert.Equal(InvitationState.Pending, (await Invitations.StatusAsync(_owner, ivan.Id)).Value!.State);
        var list = await _host.Get<EmployeeListService>().LoadAsync(_owner, new EmployeeListQuery(EmployeeListScope.All));
        Assert.False(list.Value!.Rows.Single(r => r.Id == ivan.Id).InvitationBounced);
    }
}
