namespace LPTracker.Core.Accounts;

/// <summary>Allocation of public account numbers.</summary>
public static class AccountNumbers
{
    /// <summary>The first number handed out; five digits, like the article's 19079.</summary>
    public const int First = 10001;

    /// <summary>The number after the highest one in use (numbers are never reused).</summary>
    public static int Next(int? highestInUse) => highestInUse is { } n && n >= First ? checked(n + 1) : First;
}
