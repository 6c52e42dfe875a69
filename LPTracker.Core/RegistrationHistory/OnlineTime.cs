namespace LPTracker.Core.RegistrationHistory;

/// <summary>Online time from a sequence of transitions: a pure function, table-tested.</summary>
public static class OnlineTime
{
    /// <summary>
    /// How long the phone was online within [<paramref name="from"/>, <paramref name="to"/>), never past
    /// <paramref name="now"/>. <paramref name="onlineAtStart"/> is the state before the first transition (the last
    /// one before <paramref name="from"/>); <paramref name="transitions"/> are (time, online) in time order, and those
    /// outside the window only set the state.
    /// </summary>
    public static TimeSpan Within(bool onlineAtStart, IEnumerable<(DateTime AtUtc, bool Online)> transitions,
        DateTime from, DateTime to, DateTime now)
    {
        var end = to < now ? to : now;
        if (end <= from)
        {
            return TimeSpan.Zero;
        }

        var total = TimeSpan.Zero;
        var online = onlineAtStart;
        var since = from;
        foreach (var (at, isOnline) in transitions)
        {
            var clamped = at < from ? from : at > end ? end : at;
            if (online)
            {
                total += clamped - since;
            }

            since = clamped;
            online = isOnline;
        }

        if (online)
        {
            total += end - since;
        }

        return total;
    }
}
