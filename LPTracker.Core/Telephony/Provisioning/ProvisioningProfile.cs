namespace LPTracker.Core.Telephony.Provisioning;

/// <summary>
/// Everything a softphone needs to register: the account (user name and password, digest realm, SIP domain) and where
/// to send the REGISTER (host, port, transport — lower case, as in a SIP URI's <c>transport</c> parameter).
/// </summary>
public sealed record ProvisioningProfile(
    string UserName, string Password, string Domain, string Realm, string Host, int Port, string Transport);

/// <summary>A link just created: the URL to encode in the QR code and when it stops working.</summary>
public sealed record ProvisioningLink(string Url, DateTime ExpiresUtc);
