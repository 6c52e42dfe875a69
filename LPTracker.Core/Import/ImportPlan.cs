using LPTracker.Core.Contacts;
using LPTracker.Core.Leads;

namespace LPTracker.Core.Import;

/// <summary>A contact row's outcome: a new contact, or new details for an existing one.</summary>
internal sealed class PlannedContact
{
    public int? ExistingId { get; init; }

    public required ContactForm Form { get; init; }

    public required List<string> Phones { get; init; }

    /// <summary>The entity to insert (created at planning, so a lead row can point at it before it has an id).</summary>
    public Contact? New { get; set; }
}

/// <summary>A lead row's outcome: a new lead or changes to the contact's open lead.</summary>
internal sealed class PlannedLead
{
    public int? ExistingLeadId { get; init; }

    public PlannedContact? Contact { get; init; }

    public int? ExistingContactId { get; init; }

    /// <summary>The values from the file; null fields of an update keep the lead's own.</summary>
    public required LeadForm Form { get; init; }

    public FunnelStage? Stage { get; init; }

    public bool OwnerGiven { get; init; }
}

/// <summary>Everything an import will write, and the rows it refuses.</summary>
internal sealed class ImportPlan(ImportKind kind)
{
    public List<PlannedContact> Contacts { get; } = [];

    public List<PlannedLead> Leads { get; } = [];

    public List<ImportRejection> Rejections { get; } = [];

    public int Skipped { get; set; }

    /// <summary>The counts are of the kind imported: for leads, contacts created along the way are not counted.</summary>
    public ImportReport Report(bool written) => kind == ImportKind.Leads
        ? new ImportReport(Leads.Count(x => x.ExistingLeadId is null), Leads.Count(x => x.ExistingLeadId is not null), Skipped, Rejections, written)
        : new ImportReport(Contacts.Count(x => x.ExistingId is null), Contacts.Count(x => x.ExistingId is not null), Skipped, Rejections, written);
}
