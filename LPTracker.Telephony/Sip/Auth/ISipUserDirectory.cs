using System.Collections.Concurrent;

namespace LPTracker.Telephony.Sip.Auth;

/// <summary>
/// SIP credentials of one user: digest HA1 hashes (never the password) and the owners in the CRM.
/// </summary>
/// <param name="UserName">The SIP user name (e.g. <c>19079_ivan</c>); the AOR is this user at <c>Sip:Domain</c>.</param>
/// <param name="Ha1Md5">H(user:realm:password) with MD5, lower-case hex; null if the user has no MD5 credential.</param>
/// <param name="Ha1Sha256">H(user:realm:password) with SHA-256, lower-case hex; null if absent.</param>
/// <param name="EmployeeId">The employee owning this SIP account (opaque to telephony).</param>
/// <param name="AccountId">The CRM account the employee belongs to (opaque to telephony).</param>
public sealed record SipUserCredentials(string UserName, string? Ha1Md5, string? Ha1Sha256, long EmployeeId, int AccountId)
{
    /// <summary>The stored HA1 for an algorithm, or null.</summary>
    public string? Ha1For(DigestAlgorithm algorithm) => algorithm == DigestAlgorithm.Sha256 ? Ha1Sha256 : Ha1Md5;

    /// <inheritdoc />
    public override string ToString() => $"SipUserCredentials {{ UserName = {UserName}, EmployeeId = {EmployeeId}, AccountId = {AccountId} }}";
}

/// <summary>Where the registrar finds SIP users. Core supplies the real one; lookups are on the REGISTER hot path.</summary>
public interface ISipUserDirectory
{
    /// <summary>Finds a user by SIP user name (case-sensitive), or null. Must not do I/O per call: it runs for every
    /// authenticated REGISTER, and the answer for an unknown name must cost what a known one costs.</summary>
    ValueTask<SipUserCredentials?> FindAsync(string userName, CancellationToken cancellationToken);

    /// <summary>Loads every user into memory; called once by <see cref="SipServer.StartAsync"/> before the listeners
    /// bind, so the first REGISTER after a restart finds what later ones do.</summary>
    ValueTask LoadAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>An in-memory directory for tests, the benchmark and development.</summary>
public sealed class InMemorySipUserDirectory : ISipUserDirectory
{
    private readonly ConcurrentDictionary<string, SipUserCredentials> _users = new(StringComparer.Ordinal);

    /// <summary>Adds or replaces a user, hashing the password for both algorithms.</summary>
    public SipUserCredentials AddUser(string userName, string password, string realm, long employeeId = 0, int accountId = 0)
    {
        var credentials = new SipUserCredentials(
            userName,
            DigestHash.ComputeHa1(DigestAlgorithm.Md5, userName, realm, password),
            DigestHash.ComputeHa1(DigestAlgorithm.Sha256, userName, realm, password),
            employeeId,
            accountId);
        _users[userName] = credentials;
        return credentials;
    }

    /// <summary>Adds or replaces a user with precomputed credentials.</summary>
    public void Add(SipUserCredentials credentials) => _users[credentials.UserName] = credentials;

    /// <summary>Removes a user.</summary>
    public bool Remove(string userName) => _users.TryRemove(userName, out _);

    /// <inheritdoc />
    public ValueTask<SipUserCredentials?> FindAsync(string userName, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_users.TryGetValue(userName, out var c) ? c : null);
}
