using LPTracker.Core.Telephony;
using LPTracker.Telephony.Sip.Auth;

namespace LPTracker.Telephony.Integration;

/// <summary>
/// Tells the console about registrar bans, per account concerned: a user's ban goes to that user's account (with the
/// employee); a whole-address ban goes once to every account whose users failed from the address. Failures of
/// unknown user names (a scanner guessing) concern no account and are only in <c>/health</c>.
/// </summary>
public sealed class BanBridge : IDisposable
{
    private readonly FailureBanList _bans;
    private readonly ISipUserDirectory _users;
    private readonly IRegistrationEvents _events;
    private readonly TimeProvider _time;

    public BanBridge(SipServer server, ISipUserDirectory users, IRegistrationEvents events, TimeProvider time)
    {
        _bans = server.Bans;
        _users = users;
        _events = events;
        _time = time;
        _bans.BanStarted += OnBanStarted;
    }

    public void Dispose() => _bans.BanStarted -= OnBanStarted;

    private void OnBanStarted(SipBanStarted started)
    {
        var ban = started.Ban;
        var now = _time.GetUtcNow().UtcDateTime;
        var known = started.UsersTried
            .Select(u => _users.FindAsync(u, CancellationToken.None))
            .Where(t => t.IsCompletedSuccessfully && t.Result is not null)
            .Select(t => t.Result!)
            .ToList();
        foreach (var account in known.GroupBy(u => u.AccountId))
        {
            int? employee = ban.User is null ? null : (int)account.First().EmployeeId;
            _events.Banned(new RegistrarBanEvent(account.Key, employee, ban.Address.ToString(), ban.Reason, ban.Until.UtcDateTime, now));
        }
    }
}
