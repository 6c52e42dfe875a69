using LPTracker.Core.Calls;

namespace LPTracker.Tests.Core.Calls;

public sealed class PopUpTests : IAsyncLifetime
{
    private CallsTestHost _host = default!;

    public async Task InitializeAsync() => _host = await CallsTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_ringing_leg_opens_a_card_with_the_number_project_and_dialled_number()
    {
        var (owner, project) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        using var popUps = _host.RecordPopUps(ivan);
        var call = _host.Start(owner, project);

        _host.Ring(call, ivan, project);

        var card = Assert.Single(await popUps.WaitAsync(1));
        Assert.False(card.Ended);
        Assert.Equal(("+79161234567", false, "+78123893298"), (card.Card.ClientNumber, card.Card.NumberHidden, card.Card.DialledNumber));
        Assert.False(string.IsNullOrEmpty(card.Card.ProjectName));
    }

    [Fact]
    public async Task The_card_closes_when_another_employee_answers()
    {
        var (owner, project) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var olga = await _host.AddEmployeeAsync(owner, "olga");
        using var popUps = _host.RecordPopUps(ivan);
        var call = _host.Start(owner, project);
        _host.Ring(call, ivan, project);
        var olgaLeg = _host.Ring(call, olga, project);

        _host.Answer(call, olgaLeg, olga, project);

        var changes = await popUps.WaitAsync(2);
        Assert.Equal([false, true], changes.Select(c => c.Ended));
        Assert.Empty(_host.Core.Get<IncomingCallPopUps>().OpenFor(ivan.EmployeeId));
    }

    [Theory]
    [InlineData(CallOutcome.Cancelled)]
    [InlineData(CallOutcome.Declined)]
    [InlineData(CallOutcome.NoAnswer)]
    public async Task The_card_closes_when_the_leg_ends_without_an_answer(CallOutcome outcome)
    {
        var (owner, project) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        using var popUps = _host.RecordPopUps(ivan);
        var call = _host.Start(owner, project);
        var leg = _host.Ring(call, ivan, project);

        _host.EndLeg(call, leg, ivan, outcome);

        Assert.Equal([false, true], (await popUps.WaitAsync(2)).Select(c => c.Ended));
    }

    [Fact]
    public async Task An_employee_who_hides_client_numbers_gets_the_card_without_the_number()
    {
        var (owner, project) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        await _host.SetAsync(ivan, e => e.HideClientNumber = true);
        using var popUps = _host.RecordPopUps(ivan);

        _host.Ring(_host.Start(owner, project), ivan, project);

        var card = Assert.Single(await popUps.WaitAsync(1)).Card;
        Assert.Null(card.ClientNumber);
        Assert.True(card.NumberHidden);
    }

    [Fact]
    public async Task An_employee_with_pop_ups_off_gets_no_card_while_the_next_one_does()
    {
        var (owner, project) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var olga = await _host.AddEmployeeAsync(owner, "olga");
        await _host.SetAsync(ivan, e => e.PopUpContactCard = false);
        using var ivanPopUps = _host.RecordPopUps(ivan);
        using var olgaPopUps = _host.RecordPopUps(olga);
        var call = _host.Start(owner, project);

        _host.Ring(call, ivan, project);
        _host.Ring(call, olga, project);

        // The live queue is processed in order: once Olga's card is out, Ivan's ringing has been handled.
        await olgaPopUps.WaitAsync(1);
        Assert.Empty(ivanPopUps.Changes);
    }

    [Fact]
    public async Task A_card_goes_only_to_the_ringing_employee()
    {
        var (owner, project) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var olga = await _host.AddEmployeeAsync(owner, "olga");
        using var olgaPopUps = _host.RecordPopUps(olga);
        using var ivanPopUps = _host.RecordPopUps(ivan);
        var first = _host.Start(owner, project);
        _host.Ring(first, ivan, project);

        _host.Ring(_host.Start(owner, project), olga, project);

        await olgaPopUps.WaitAsync(1);
        Assert.All(olgaPopUps.Changes, c => Assert.Equal(olga.EmployeeId, c.Card.EmployeeId));
        Assert.Single(await ivanPopUps.WaitAsync(1));
    }

    [Fact]
    public async Task A_page_opened_while_the_phone_rings_finds_the_open_card()
    {
        var (owner, project) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        using var popUps = _host.RecordPopUps(ivan);
        var call = _host.Start(owner, project);

        _host.Ring(call, ivan, project);
        await popUps.WaitAsync(1);

        Assert.Equal(call, Assert.Single(_host.Core.Get<IncomingCallPopUps>().OpenFor(ivan.EmployeeId)).CallId);
    }

    [Fact]
    public async Task The_card_names_the_caller_s_contact_found_by_the_number()
    {
        var (owner, project) = await _host.SignUpAsync();
        var contactId = await AddContactAsync(owner, project, "Пётр Клиентов", "8 (916) 123-45-67");
        using var popUps = _host.RecordPopUps(owner);

        _host.Ring(_host.Start(owner, project), owner, project);

        var contact = Assert.Single(await popUps.WaitAsync(1)).Card.Contact;
        Assert.Equal((contactId, "Пётр Клиентов"), (contact?.Id ?? 0, contact?.Name));
    }

    [Fact]
    public async Task An_employee_without_the_contacts_section_is_not_shown_the_contact()
    {
        var (owner, project) = await _host.SignUpAsync();
        await AddContactAsync(owner, project, "Пётр Клиентов", "+79161234567");
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        using var popUps = _host.RecordPopUps(ivan);

        _host.Ring(_host.Start(owner, project), ivan, project);

        var card = Assert.Single(await popUps.WaitAsync(1)).Card;
        Assert.Null(card.Contact);
        Assert.Equal("+79161234567", card.ClientNumber);
    }

    private async Task<int> AddContactAsync(LPTracker.Core.Security.CallerContext owner, int project, string name, string phone)
    {
        var form = new LPTracker.Core.Contacts.ContactForm { ProjectId = project, Name = name, Phones = [new() { Number = phone }] };
        var saved = await _host.Core.Get<LPTracker.Core.Contacts.SaveContact>().SaveAsync(owner, form);
        Assert.True(saved.Succeeded, saved.Summary);
        return saved.Value;
    }
}
