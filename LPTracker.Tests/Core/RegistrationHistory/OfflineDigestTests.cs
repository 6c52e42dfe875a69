using LPTracker.Core.Notifications;
using LPTracker.Core.RegistrationHistory;
using LPTracker.Core.Telephony;

namespace LPTracker.Tests.Core.RegistrationHistory;

/// <summary>How offline phones of one window are told: one by one up to the limit, beyond it one summary (decision 0081).</summary>
public sealed class OfflineDigestTests
{
    private const int Limit = 3;
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private static readonly DateTime Now = new(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(1, 1, 0)]
    [InlineData(Limit, Limit, 0)]
    [InlineData(Limit + 1, 0, Limit + 1)]
    [InlineData(200, 0, 200)]
    public void A_window_of_N_phones_is_told_one_by_one_up_to_the_limit_and_as_one_summary_beyond(int phones, int individual, int summarised)
    {
        var digest = new OfflineDigest(Limit, Interval);

        var raises = digest.Take(1, Phones(phones), Now);

        Assert.Equal(individual, raises.Count(r => r.Kind == NotificationKinds.PhoneOffline));
        var summaries = raises.Where(r => r.Kind == NotificationKinds.PhonesOffline).ToList();
        Assert.Equal(summarised > 0 ? 1 : 0, summaries.Count);
        if (summarised > 0)
        {
            Assert.Equal(summarised, summaries[0].Tally);
            Assert.Equal([summarised.ToString(System.Globalization.CultureInfo.InvariantCulture), "p1, p2, p3"], summaries[0].Args);
            Assert.Equal(OfflineDigest.SummarySubject, summaries[0].Subject);
        }
    }

    [Fact]
    public void An_individual_notification_names_the_employee_and_the_reason_as_a_catalogue_key()
    {
        var raise = Assert.Single(new OfflineDigest(Limit, Interval).Take(1, [new OfflinePhone(7, "Иван", RegistrationReason.Expired)], Now));

        Assert.Equal((NotificationKinds.PhoneOffline, NotificationSubject.Employee(7)), (raise.Kind, raise.Subject));
        Assert.Equal(["Иван", "@Registration.Reason.Expired"], raise.Args);
        Assert.Equal(0, raise.Tally);
    }

    [Fact]
    public void Accounts_of_one_window_are_decided_each_on_its_own()
    {
        var digest = new OfflineDigest(Limit, Interval);

        var few = digest.Take(1, Phones(2), Now);
        var many = digest.Take(2, Phones(50), Now);
        var one = digest.Take(3, Phones(1), Now);

        Assert.Equal([NotificationKinds.PhoneOffline, NotificationKinds.PhoneOffline], few.Select(r => r.Kind));
        Assert.Equal(50, Assert.Single(many).Tally);
        Assert.Equal(NotificationKinds.PhoneOffline, Assert.Single(one).Kind);
    }

    [Fact]
    public void While_a_summary_is_recent_further_phones_of_its_account_are_added_up_and_told_once_the_interval_passed()
    {
        var digest = new OfflineDigest(Limit, Interval);
        digest.Take(1, Phones(10), Now);

        // During the interval: nothing raised, not even single phones (the outage is going on).
        Assert.Empty(digest.Take(1, Phones(1), Now.AddSeconds(5)));
        Assert.Empty(digest.Take(1, Phones(20), Now.AddSeconds(10)));
        Assert.Empty(digest.Due(Now.AddSeconds(59)));

        var due = Assert.Single(digest.Due(Now.AddSeconds(60)));
        Assert.Equal((1, NotificationKinds.PhonesOffline, 21), (due.AccountId, due.Raise.Kind, due.Raise.Tally));

        // A quiet interval ends the episode: the next single phone is told by name again.
        Assert.True(digest.Pending);
        Assert.Empty(digest.Due(Now.AddSeconds(120)));
        Assert.False(digest.Pending);
        Assert.Equal(NotificationKinds.PhoneOffline, Assert.Single(digest.Take(1, Phones(1), Now.AddSeconds(125))).Kind);
    }

    private static List<OfflinePhone> Phones(int count) =>
        Enumerable.Range(1, count).Select(i => new OfflinePhone(i, $"p{i}", RegistrationReason.Unregistered)).ToList();
}
