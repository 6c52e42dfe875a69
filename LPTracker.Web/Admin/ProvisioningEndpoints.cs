using System.Text;
using LPTracker.Core.Telephony.Provisioning;

namespace LPTracker.Web.Admin;

/// <summary>
/// The link in the softphone QR code: a phone (not signed in) fetches its configuration once. Anything but a valid
/// link is a plain 404, whether it never existed, was used, revoked or expired: the answer tells a guesser nothing.
/// </summary>
public static class ProvisioningEndpoints
{
    public static void MapProvisioningEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet(ProvisioningLinks.PathPrefix + "{token}", async (string token, HttpContext http, ProvisioningLinks links, CancellationToken ct) =>
        {
            // It carries a password: no cache anywhere may keep a copy.
            http.Response.Headers.CacheControl = "no-store";
            var profile = await links.RedeemAsync(token, http.Connection.RemoteIpAddress?.ToString(), ct);
            return profile is null
                ? Results.NotFound()
                : Results.Text(LinphoneProvisioningXml.Render(profile), LinphoneProvisioningXml.ContentType, Encoding.UTF8);
        }).AllowAnonymous();
}
