using LPTracker.Core.Employees;
using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Core.Tasks;
using LPTracker.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LPTracker.Tests.EndToEnd;

/// <summary>A fresh account for one CRM browser test: its main account and the project everything is arranged in.</summary>
internal sealed record CrmAccount(CallerContext Owner, string OwnerEmail, int ProjectId);

/// <summary>An employee arranged for a browser test, with the login they sign in with.</summary>
internal sealed record CrmEmployee(CallerContext Caller, string Login);

/// <summary>
/// Arranging CRM data for the browser tests through the product's own Core services (the employee editor, the lead
/// and task handlers), exactly as the console's pages would, never by writing rows.
/// </summary>
internal static class CrmFlowArrange
{
    public const string Password = "secret123";

    public static async Task<CrmAccount> NewCrmAccountAsync(this WebAppFixture app)
    {
        var (owner, email) = await app.SignUpAsync(Password);
        var blank = await app.Get<EmployeeEditorService>().NewAsync(owner);
        Assert.True(blank.Succeeded, blank.Summary);
        return new CrmAccount(owner, email, blank.Value!.Form.Projects.Single(p => p.HasAccess).ProjectId);
    }

    /// <summary>An employee with access to the account's project holding exactly these sections and permissions.</summary>
    public static async Task<CrmEmployee> AddEmployeeAsync(
        this WebAppFixture app, CrmAccount account, string suffix, string name, ProjectSections sections, EmployeePermissions permissions)
    {
        var editor = app.Get<EmployeeEditorService>();
        var blank = (await editor.NewAsync(account.Owner)).Value!;
        var form = blank.Form.Clone();
        (form.Name, form.LoginSuffix, form.Password, form.Permissions) = (name, suffix, Password, permissions);
        foreach (var project in form.Projects)
        {
            project.Sections = project.ProjectId == account.ProjectId ? sections : ProjectSections.None;
        }

        var saved = await editor.CreateAsync(account.Owner, form);
        Assert.True(saved.Succeeded, saved.Summary);
        return new CrmEmployee(new CallerContext(account.Owner.AccountId, saved.EmployeeId), blank.LoginPrefix + suffix);
    }

    /// <summary>A lead created by the main account; <paramref name="owner"/> null = the project's pool.</summary>
    public static async Task<int> AddLeadAsync(
        this WebAppFixture app, CrmAccount account, string title, CrmEmployee? owner, DateTime? stepDateUtc = null, StageKind kind = StageKind.Lead)
    {
        var stages = await app.Get<FunnelStages>().ListAsync(account.Owner, account.ProjectId);
        var form = new LeadForm
        {
            ProjectId = account.ProjectId, Title = title, OwnerId = owner?.Caller.EmployeeId, StepDateUtc = stepDateUtc,
            StageId = stages.First(s => s.Kind == kind).Id, Source = $"источник {title}",
        };
        var saved = await app.Get<SaveLead>().SaveAsync(account.Owner, form);
        Assert.True(saved.Succeeded, saved.Summary);
        return saved.Value;
    }

    /// <summary>A task <paramref name="author"/> (null = the main account) gives <paramref name="assignee"/>, due tomorrow.</summary>
    public static async Task AddTaskAsync(this WebAppFixture app, CrmAccount account, string title, CrmEmployee assignee, CrmEmployee? author = null)
    {
        var form = new TaskForm
        {
            ProjectId = account.ProjectId, Title = title, AssigneeId = assignee.Caller.EmployeeId, DueUtc = DateTime.UtcNow.AddDays(1),
        };
        var saved = await app.Get<SaveTask>().SaveAsync(author?.Caller ?? account.Owner, form);
        Assert.True(saved.Succeeded, saved.Summary);
    }

    /// <summary>A new browser context signed in as <paramref name="login"/>; the caller disposes it.</summary>
    public static async Task<(IBrowserContext Context, IPage Page)> SignedInAsync(this WebAppFixture app, string login)
    {
        var context = await Browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        await page.SignInAsync(login, Password);
        return (context, page);
    }

    /// <summary>Opens a console page and waits for its circuit.</summary>
    public static async Task OpenAsync(this IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.WaitInteractiveAsync();
    }

    /// <summary>The texts of the elements, sorted, once there are exactly <paramref name="count"/> of them.</summary>
    public static async Task<List<string>> SortedTextsAsync(this ILocator rows, int count)
    {
        await Assertions.Expect(rows).ToHaveCountAsync(count);
        return (await rows.AllTextContentsAsync()).Select(t => t.Trim()).Order(StringComparer.Ordinal).ToList();
    }
}
