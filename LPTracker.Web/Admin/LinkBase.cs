using LPTracker.Core.Mail;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace LPTracker.Web.Admin;

/// <summary>The address links in e-mails and QR codes start with: <c>PublicUrl</c>, else this request's own.</summary>
public sealed class LinkBase(IOptions<SmtpOptions> options, NavigationManager navigation)
{
    public string Value => string.IsNullOrWhiteSpace(options.Value.PublicUrl) ? navigation.BaseUri : options.Value.PublicUrl;
}
