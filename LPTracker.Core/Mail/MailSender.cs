using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace LPTracker.Core.Mail;

/// <summary>
/// Sends e-mail through the configured SMTP server (MailKit), or writes it under the mail folder as an .eml file
/// when no server is configured, so a fresh installation works and the administrator can open the message.
/// A server that is down is reported as a failed send, never an exception.
/// </summary>
public sealed class MailSender(IOptions<SmtpOptions> options, ILogger<MailSender> logger)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>True when messages are written to <see cref="SmtpOptions.MailFolder"/> instead of being sent.</summary>
    public bool WritesToFolder => string.IsNullOrWhiteSpace(options.Value.Host);

    public string MailFolder => options.Value.MailFolder;

    /// <summary>Sends (or saves) one message; false when the SMTP server could not take it.</summary>
    public async Task<bool> SendAsync(string to, string subject, string text, CancellationToken ct = default)
    {
        var o = options.Value;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(o.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        if (WritesToFolder)
        {
            Directory.CreateDirectory(o.MailFolder);
            var file = Path.Combine(o.MailFolder, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}.eml");
            await message.WriteToAsync(file, ct);
            return true;
        }

        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        try
        {
            var security = !o.UseTls ? SecureSocketOptions.None : o.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
            await client.ConnectAsync(o.Host!, o.Port, security, ct);
            if (!string.IsNullOrEmpty(o.User))
            {
                await client.AuthenticateAsync(o.User, o.Password ?? "", ct);
            }

            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or IOException or SmtpCommandException or SmtpProtocolException
            or AuthenticationException or SslHandshakeException or ServiceNotConnectedException or TimeoutException or OperationCanceledException
            && !ct.IsCancellationRequested)
        {
            // The recipient and the server are logged, the message (it carries a one-time link) is not.
            logger.LogWarning("Mail to {Recipient} through {Host}:{Port} failed: {Error}", to, o.Host, o.Port, ex.Message);
            return false;
        }
    }
}
