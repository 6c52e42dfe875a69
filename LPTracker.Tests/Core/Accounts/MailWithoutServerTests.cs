using LPTracker.Core.Employees;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Core.Accounts;

/// <summary>No SMTP host: messages become .eml files; a host that is down: the action says so, nothing else fails.</summary>
public sealed class MailWithoutServerTests
{
    [Fact]
    public async Task Without_a_host_the_invitation_is_written_as_an_eml_file_and_the_result_says_so()
    {
        await using var host = await CoreTestHost.StartAsync();
        var (owner, anna) = await ArrangeAsync(host);

        var sent = await host.Get<InvitationService>().SendAsync(owner, anna, "http://console.test");

        Assert.True(sent.Succeeded, sent.Summary);
        Assert.True(sent.Value!.SavedToFolder);
        var file = Assert.Single(Directory.GetFiles(Path.Combine(host.DataFolder, "mail"), "*.eml"));
        var message = await MimeKit.MimeMessage.LoadAsync(file);
        Assert.Equal("anna@example.com", message.To.Mailboxes.Single().Address);
        Assert.Contains("/account/password?token=", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mail_server_that_is_down_fails_the_invitation_with_a_message_and_revokes_its_link()
    {
        await using var host = await CoreTestHost.StartAsync(b =>
        {
            b.Configuration["Smtp:Host"] = "127.0.0.1";
            b.Configuration["Smtp:Port"] = SmtpTestServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("en-US");
        var (owner, anna) = await ArrangeAsync(host);

        var sent = await host.Get<InvitationService>().SendAsync(owner, anna, "http://console.test");

        Assert.False(sent.Succeeded);
        Assert.Contains("mail server is unavailable", sent.Summary, StringComparison.Ordinal);
        await using var db = host.OpenSystemContext();
        Assert.All(await db.AccountTokens.IgnoreQueryFilters().ToListAsync(), t => Assert.NotNull(t.UsedUtc));
    }

    private static async Task<(LPTracker.Core.Security.CallerContext Owner, int Anna)> ArrangeAsync(CoreTestHost host)
    {
        var owner = await host.SignUpAsync();
        var anna = await host.AddEmployeeAsync(owner, "anna");
        await host.SetEmailAsync(anna, "anna@example.com");
        return (owner, anna.EmployeeId);
    }
}
