namespace LPTracker.Core.Tasks;

/// <summary>A to-do on a lead or a contact: due date, assignee, author, done with a result.</summary>
public sealed class CrmTask : Crm.IVersioned
{
    public int Id { get; set; }

    public int AccountId { get; set; }

    public int ProjectId { get; set; }

    public int? LeadId { get; set; }

    public int? ContactId { get; set; }

    public string Title { get; set; } = "";

    public DateTime DueUtc { get; set; }

    public int? AssigneeId { get; set; }

    public int? AuthorId { get; set; }

    public bool IsDone { get; set; }

    public string? Result { get; set; }

    public DateTime? DoneUtc { get; set; }

    public DateTime CreatedUtc { get; set; }

    /// <summary>App-managed optimistic concurrency token (SQLite cannot generate one).</summary>
    public Guid Version { get; set; } = Guid.NewGuid();
}
