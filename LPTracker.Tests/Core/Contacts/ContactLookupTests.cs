using LPTracker.Core.Contacts;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Contacts;

public sealed class ContactLookupTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ContactLookup Lookup => _host.Get<ContactLookup>();

    [Fact]
    public async Task The_exact_E164_number_finds_its_contact_with_project_name_and_company()
    {
        var id = await _host.AddContactAsync(_owner, "Иван", "+78123893298");

        var match = await Lookup.FindByPhoneAsync(_owner.AccountId, "+78123893298", CancellationToken.None);

        Assert.Equal(new ContactMatch(id, await _host.FirstProjectAsync(_owner), "Иван", null), match);
    }

    [Theory]
    [InlineData("88123893298")]
    [InlineData("78123893298")]
    [InlineData("8123893298")]
    [InlineData("+38123893298")]
    public async Task A_number_in_another_form_is_found_by_its_last_ten_digits(string delivered)
    {
        var id = await _host.AddContactAsync(_owner, "Иван", "+78123893298");

        var match = await Lookup.FindByPhoneAsync(_owner.AccountId, delivered, CancellationToken.None);

        Assert.Equal(id, match?.Id);
    }

    [Fact]
    public async Task An_unknown_number_finds_nothing()
    {
        await _host.AddContactAsync(_owner, "Иван", "+78123893298");

        Assert.Null(await Lookup.FindByPhoneAsync(_owner.AccountId, "+78123893299", CancellationToken.None));
    }

    [Fact]
    public async Task Another_accounts_contact_is_never_found()
    {
        var other = await _host.SignUpAsync();
        await _host.AddContactAsync(other, "Чужой", "+78123893298");

        Assert.Null(await Lookup.FindByPhoneAsync(_owner.AccountId, "+78123893298", CancellationToken.None));
    }

    [Fact]
    public async Task For_an_employee_only_projects_with_the_contacts_section_are_searched()
    {
        await _host.AddContactAsync(_owner, "Иван", "+78123893298");
        var without = await _host.AddCrmEmployeeAsync(_owner, "nocontacts", ProjectSections.Leads);
        var with = await _host.AddCrmEmployeeAsync(_owner, "contacts", ProjectSections.Contacts);

        Assert.Null(await Lookup.FindByPhoneAsync(without, "+78123893298", CancellationToken.None));
        Assert.NotNull(await Lookup.FindByPhoneAsync(with, "+78123893298", CancellationToken.None));
    }
}
