namespace LPTracker.Tests.Web.Telephony;

/// <summary>The web app with the shipped SIP defaults: no <c>Sip:Domain</c>, no <c>Sip:PublicPort</c>.</summary>
public sealed class DefaultSipAppFixture : TelephonyAppFixture
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();
}
