using System.Globalization;
using LPTracker.Core.Calls;
using LPTracker.Core.Contacts;
using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Core.Tasks;
using LPTracker.Tests.Core.Calls;
using LPTracker.Tests.Core.Leads;

namespace LPTracker.Tests.Core.Contacts;

/// <summary>
/// The contact card's leads, tasks and calls, each under its own list's rights. Anna (+7 916 123-45-67) has leads of
/// ivan, petr and the pool, a deal of ivan, a task for each of them, and two calls: one rang ivan, one rang petr;
/// a third call came from another number.
/// </summary>
public sealed class ContactActivityTests : IAsyncLifetime
{
    private const string Anna = "+79161234567";
    private readonly Dictionary<string, CallerContext> _callers = [];
    private CallsTestHost _host = null!;
    private int _contact;

    public ContactActivityTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CallsTestHost.StartAsync();
        var (owner, project) = await _host.SignUpAsync();
        var core = _host.Core;
        var ivan = await core.AddCrmEmployeeAsync(owner, "ivan",
            ProjectSections.Contacts | ProjectSections.Leads | ProjectSections.Tasks, EmployeePermissions.SeeNewLeadsWithUnprocessed);
        var petr = await core.AddCrmEmployeeAsync(owner, "petr", ProjectSections.Contacts | ProjectSections.Leads | ProjectSections.Deals);
        (_callers["main"], _callers["ivan"], _callers["petr"]) = (owner, ivan, petr);
        _callers["contacts-only"] = await core.AddCrmEmployeeAsync(owner, "contacts", ProjectSections.Contacts);
        _contact = await core.AddContactAsync(owner, "Анна", Anna);
        var deal = (await core.StagesAsync(owner)).First(s => s.Kind == StageKind.Deal).Id;
        foreach (var (title, who, stage) in new[] { ("Лид Ивана", ivan, 0), ("Лид Петра", petr, 0), ("Лид пула", null, 0), ("Сделка Ивана", ivan, deal) })
        {
            var id = await core.AddLeadAsync(owner, title, who, stageId: stage);
            await core.EditLeadAsync(owner, id, f => f.ContactId = _contact);
        }

        foreach (var (title, who) in new[] { ("Задача Ивана", ivan), ("Задача Петра", petr) })
        {
            var saved = await core.Get<SaveTask>().SaveAsync(owner, new TaskForm
            {
                ProjectId = project, Title = title, DueUtc = _host.Now.AddDays(1), AssigneeId = who.EmployeeId, ContactId = _contact,
            });
            Assert.True(saved.Succeeded, saved.Summary);
        }

        foreach (var (who, client) in new[] { (ivan, Anna), (petr, Anna), (ivan, "+79990001122") })
        {
            var call = _host.Start(owner, project, client);
            _host.Ring(call, who, project, client);
            _host.End(call, owner, CallOutcome.NoAnswer);
            await _host.LoggedAsync(call, owner, c => c.Outcome is not null && c.Legs.Count == 1);
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ContactActivity Activity => _host.Core.Get<ContactActivity>();

    // leads | tasks | calls (answered-by is nobody: the rang employee is told by the number shown)
    public static TheoryData<string, string?, string?, int> ListsByCaller => new()
    {
        { "main", "Лид Ивана, Лид Петра, Лид пула, Сделка Ивана", "Задача Ивана, Задача Петра", 2 },
        { "ivan", "Лид Ивана, Лид пула", "Задача Ивана", 1 },
        { "petr", "Лид Петра, Лид пула", null, 1 },
        { "contacts-only", null, null, 0 },
    };

    [Theory]
    [MemberData(nameof(ListsByCaller))]
    public async Task Each_list_shows_what_its_own_rights_allow(string caller, string? leads, string? tasks, int calls)
    {
        var view = (await Activity.LoadAsync(_callers[caller], _contact)).Value!;

        Assert.Equal(leads, view.Leads is null ? null : string.Join(", ", view.Leads.Select(l => l.Title).Order(StringComparer.Ordinal)));
        Assert.Equal(tasks, view.Tasks is null ? null : string.Join(", ", view.Tasks.Select(t => t.Title).Order(StringComparer.Ordinal)));
        Assert.Equal(calls, view.Calls.Count);
        Assert.All(view.Calls, c => Assert.Equal(Anna, c.ClientNumber));
    }

    [Fact]
    public async Task An_employee_who_hides_client_numbers_sees_the_call_without_its_number()
    {
        await _host.SetAsync(_callers["ivan"], e => e.HideClientNumber = true);

        var view = (await Activity.LoadAsync(_callers["ivan"], _contact)).Value!;

        Assert.Null(Assert.Single(view.Calls).ClientNumber);
    }

    [Fact]
    public async Task Another_accounts_caller_is_told_the_contact_does_not_exist()
    {
        var (stranger, _) = await _host.SignUpAsync();

        var result = await Activity.LoadAsync(stranger, _contact);

        Assert.False(result.Succeeded);
        Assert.Null(result.Value);
    }

    [Fact]
    public async Task Without_the_contacts_section_the_lists_are_refused()
    {
        var leadsOnly = await _host.Core.AddCrmEmployeeAsync(_callers["main"], "leads", ProjectSections.Leads, EmployeePermissions.SeeOthersItems);

        var result = await Activity.LoadAsync(leadsOnly, _contact);

        Assert.Equal("Недостаточно прав для этого действия.", result.Summary);
    }
}
