using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace LPTracker.Core.Telephony;

/// <summary>Issues SIP credentials: a user name, a strong random password, its HA1 hashes and the protected copy.</summary>
public sealed class SipCredentialIssuer(IDataProtectionProvider protection, IOptions<SipOptions> settings)
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private readonly IDataProtector _protector = protection.CreateProtector("LPTracker.SipPassword.v1");

    /// <summary>The SIP user name of an employee: unique because employee ids are unique deployment-wide.</summary>
    public static string UserNameFor(int accountNumber, int employeeId) => $"{accountNumber}_{employeeId}";

    /// <summary>Fills <paramref name="account"/> with a new password and its hashes; returns the password.</summary>
    public string Issue(SipAccount account, int accountNumber, DateTime nowUtc)
    {
        var password = RandomNumberGenerator.GetString(Alphabet, 20);
        var realm = settings.Value.EffectiveRealm;
        account.UserName = UserNameFor(accountNumber, account.EmployeeId);
        account.Realm = realm;
        account.Ha1Md5 = SipDigest.Ha1Md5(account.UserName, realm, password);
        account.Ha1Sha256 = SipDigest.Ha1Sha256(account.UserName, realm, password);
        account.ProtectedPassword = _protector.Protect(password);
        account.CreatedUtc = nowUtc;
        return password;
    }

    /// <summary>
    /// Recomputes the hashes of an account issued for another realm (<c>Sip:Realm</c>/<c>Sip:Domain</c> changed), from
    /// its protected password: phones keep their password and learn the new realm from the challenge. False when the
    /// password cannot be read (the Data Protection keys were lost): the account must be regenerated.
    /// </summary>
    public bool TryRehash(SipAccount account)
    {
        string password;
        try
        {
            password = Reveal(account);
        }
        catch (CryptographicException)
        {
            return false;
        }

        var realm = settings.Value.EffectiveRealm;
        account.Realm = realm;
        account.Ha1Md5 = SipDigest.Ha1Md5(account.UserName, realm, password);
        account.Ha1Sha256 = SipDigest.Ha1Sha256(account.UserName, realm, password);
        return true;
    }

    /// <summary>The readable password, for an administrator who asks to reveal it.</summary>
    public string Reveal(SipAccount account) => _protector.Unprotect(account.ProtectedPassword);
}
