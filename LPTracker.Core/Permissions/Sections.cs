namespace LPTracker.Core.Permissions;

/// <summary>Sections common to all projects, set in the employee's General settings.</summary>
[Flags]
public enum CommonSections
{
    None = 0,
    Balance = 1,
    Telephony = 2,
    Employees = 4,
    SiteBuilder = 8,
    All = Balance | Telephony | Employees | SiteBuilder,
}

/// <summary>Sections granted per project, in Access to sections.</summary>
[Flags]
public enum ProjectSections
{
    None = 0,
    Leads = 1,
    Deals = 2,
    Contacts = 4,
    Tasks = 8,
    Analytics = 16,
    Widgets = 32,
    ProjectSettings = 64,
    All = Leads | Deals | Contacts | Tasks | Analytics | Widgets | ProjectSettings,
}

/// <summary>The seven rights of the Permissions block.</summary>
[Flags]
public enum EmployeePermissions
{
    None = 0,
    DeleteData = 1,
    ImportData = 2,
    ExportData = 4,
    SeeNewLeadsWithUnprocessed = 8,
    SkipStepDateReason = 16,
    SeeOthersItems = 32,
    TransferToOthers = 64,
    All = DeleteData | ImportData | ExportData | SeeNewLeadsWithUnprocessed | SkipStepDateReason | SeeOthersItems
        | TransferToOthers,
}
