// In the global namespace, where the shared HttpSignIn (written for xUnit) looks for it.
/// <summary>The few assertions HttpSignIn (shared with the tests) makes, for a program without xUnit.</summary>
#pragma warning disable CA1050 // a type in the global namespace on purpose
internal static class Assert
{
    public static void True(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    public static void Contains<T>(IEnumerable<T> items, Predicate<T> match)
    {
        if (!items.Any(i => match(i)))
        {
            throw new InvalidOperationException("sign-in set no cookie");
        }
    }
}
