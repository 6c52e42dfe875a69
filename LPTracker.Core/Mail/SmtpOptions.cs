namespace LPTracker.Core.Mail;

/// <summary>The <c>Smtp</c> configuration section. With no <see cref="Host"/>, messages are written as .eml files.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public string? User { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "LPTracker <no-reply@lptracker.local>";

    /// <summary>TLS on connect for port 465, STARTTLS otherwise; false sends in the clear (a local relay).</summary>
    public bool UseTls { get; set; }

    /// <summary>Where .eml files go when no host is configured (set from <c>DataFolder</c>).</summary>
    public string MailFolder { get; set; } = "App_Data/mail";

    /// <summary>
    /// The console's public address for links in e-mails (<c>PublicUrl</c>). When empty the address of the request
    /// is used, which relies on the host filtering (<c>AllowedHosts</c>) to refuse forged Host headers.
    /// </summary>
    public string? PublicUrl { get; set; }
}
