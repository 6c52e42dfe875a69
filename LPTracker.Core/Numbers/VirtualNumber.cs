namespace LPTracker.Core.Numbers;

/// <summary>A number the account bought on Virtual PBX → Numbers.</summary>
public sealed class VirtualNumber
{
    public int Id { get; set; }

    public int AccountId { get; set; }

    /// <summary>The number in E.164 form, e.g. +78123893298.</summary>
    public string E164 { get; set; } = "";

    /// <summary>The project the number is bound to, if any.</summary>
    public int? ProjectId { get; set; }

    public DateTime CreatedUtc { get; set; }
}
