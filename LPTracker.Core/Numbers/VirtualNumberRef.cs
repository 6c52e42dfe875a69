namespace LPTracker.Core.Numbers;

/// <summary>One of the account's virtual numbers, as pickers show it.</summary>
public sealed record VirtualNumberRef(int Id, string E164, int? ProjectId)
{
    /// <summary>The number formatted for people, e.g. <c>+7 812 389-32-01</c>.</summary>
    public string Display => PhoneRules.Display(E164);
}
