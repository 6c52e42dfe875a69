using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace LPTracker.Core.Mail;

/// <summary>How a send ended.</summary>
public enum MailOutcome
{
    /// <summary>The server took the message (or it was written to the mail folder).</summary>
    Sent,

    /// <summary>The server could not be reached or failed for now (try again later).</summary>
    Failed,

    /// <summary>The server refused the recipient or the message for good (an SMTP 5xx): the message bounced.</summary>
    Rejected,
}

/// <summary>The outcome of a send; <see cref="Reason"/> is the server's reply for a rejection ("550 mailbox unavailable").</summary>
public sealed record MailResult(MailOutcome Outcome, string? Reason = null)
{
    public bool Sent => Outcome == MailOutcome.Sent;
}

/// <summary>
/// Sends e-mail through the configured SMTP server (MailKit), or writes it under the mail folder as an .eml file
/// when no server is configured, so a fresh installation works and the administrator can open the message.
/// A server that is down is reported as a failed send, never an exception; a permanent refusal of the recipient or
/// the message (5xx) as a rejection, which callers record as a bounce.
/// </summary>
public sealed class MailSender(IOptions<SmtpOptions> options, ILogger<MailSender> logger)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>True when messages are written to <see cref="SmtpOptions.MailFolder"/> instead of being sent.</summary>
    public bool WritesToFolder => string.IsNullOrWhiteSpace(options.Value.Host);

    public string MailFolder => options.Value.MailFolder;

    /// <summary>Sends (or saves) one message; false when the SMTP server could not take it.</summary>
    public async Task<bool> SendAsync(string to, string subject, string text, CancellationToken ct = default) =>
        (await DeliverAsync(to, subject, text, ct)).Sent;

    /// <summary>Sends (or saves) one message and says how it ended.</summary>
    public async Task<MailResult> DeliverAsync(string to, string subject, string text, CancellationToken ct = default)
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
            return new MailResult(MailOutcome.Sent);
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
            return new MailResult(MailOutcome.Sent);
        }
        catch (SmtpCommandException ex) when (IsPermanentRefusal(ex))
        {
            var reason = $"{(int)ex.StatusCode} {ex.Message}";
            logger.LogWarning("Mail to {Recipient} through {Host}:{Port} was refused for good: {Reason}", to, o.Host, o.Port, reason);
            return new MailResult(MailOutcome.Rejected, reason);
        }
        catch (Exception ex) when (ex is SocketException or IOException or SmtpCommandException or SmtpProtocolException
            or AuthenticationException or SslHandshakeException or ServiceNotConnectedException or TimeoutException or OperationCanceledException
            && !ct.IsCancellationRequested)
        {
            // The recipient and the server are logged, the message (it carries a one-time link) is not.
            logger.LogWarning("Mail to {Recipient} through {Host}:{Port} failed: {Error}", to, o.Host, o.Port, ex.Message);
            return new MailResult(MailOutcome.Failed);
        }
    }

    /// <summary>
    /// A 5xx to RCPT TO (the address does not exist) or to the message itself is final for this recipient; a 5xx to
    /// MAIL FROM or to authentication is our configuration's fault, not a bounce, and 4xx is temporary.
    /// </summary>
    private static bool IsPermanentRefusal(SmtpCommandException ex) =>
        (int)ex.StatusCode >= 500 && ex.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted;
}
