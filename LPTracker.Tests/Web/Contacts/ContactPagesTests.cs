using Bunit;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Contacts;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Pages.Contacts;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace LPTracker.Tests.Web.Contacts;

public sealed class ContactPagesTests : IAsyncLifetime
{
    private CoreTestHost _core = null!;
    private CallerContext _owner = null!;

    public async Task InitializeAsync()
    {
        _core = await CoreTestHost.StartAsync();
        _owner = await _core.SignUpAsync();
    }

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task The_card_shows_markup_in_a_name_and_comment_as_text()
    {
        var id = await _core.AddContactAsync(_owner, "<b>Иван</b>", "+78123893298");
        await using var ctx = SignedIn(_owner);

        var cut = ctx.Render<ContactCardPage>(p => p.Add(c => c.Id, id));

        cut.WaitForAssertion(() => Assert.Equal("<b>Иван</b>", cut.Find("[data-testid=contact-title]").TextContent));
        Assert.Empty(cut.FindAll("h1 b"));
        Assert.Equal("+7 812 389-32-98", cut.Find("[data-testid=contact-phone]").TextContent);
    }

    [Fact]
    public async Task The_create_page_starts_with_the_phone_from_the_address()
    {
        await using var ctx = SignedIn(_owner);
        ctx.Render<MudBlazor.MudPopoverProvider>();
        var nav = ctx.Services.GetRequiredService<NavigationManager>();
        nav.NavigateTo("/contacts/new?phone=%2B78123893298");

        var cut = ctx.Render<ContactNew>();

        cut.WaitForAssertion(() => Assert.Equal("+78123893298", cut.Find("input[data-testid=contact-phone-0]").GetAttribute("value")));
    }

    [Fact]
    public async Task Saving_the_create_page_opens_the_new_card()
    {
        await using var ctx = SignedIn(_owner);
        ctx.Render<MudBlazor.MudPopoverProvider>();
        var cut = ctx.Render<ContactNew>();

        cut.WaitForElement("input[data-testid=contact-name]").Change("Анна");
        cut.Find("input[data-testid=contact-phone-0]").Change("8 812 389 32 98");
        cut.Find("[data-testid=contact-save]").Click();

        var nav = ctx.Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.Matches("/contacts/[0-9]+$", nav.Uri));
    }

    [Fact]
    public async Task A_bad_phone_on_the_create_page_is_flagged_at_the_field()
    {
        await using var ctx = SignedIn(_owner);
        ctx.Render<MudBlazor.MudPopoverProvider>();
        var cut = ctx.Render<ContactNew>();

        cut.WaitForElement("input[data-testid=contact-phone-0]").Change("abc");
        cut.Find("[data-testid=contact-save]").Click();

        cut.WaitForAssertion(() => Assert.Contains("не номер телефона", cut.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_the_contacts_section_the_list_and_a_typed_card_show_no_access()
    {
        var id = await _core.AddContactAsync(_owner, "Иван");
        var leadsOnly = await _core.AddCrmEmployeeAsync(_owner, "leads", ProjectSections.Leads);
        await using var ctx = SignedIn(leadsOnly);

        var list = ctx.Render<ContactList>();
        var card = ctx.Render<ContactCardPage>(p => p.Add(c => c.Id, id));

        list.WaitForElement("[data-testid=no-access]");
        card.WaitForElement("[data-testid=no-access]");
        Assert.DoesNotContain("Иван", card.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_list_links_each_contact_to_its_card()
    {
        var id = await _core.AddContactAsync(_owner, "Иван Иванов", "+78123893298");
        await using var ctx = SignedIn(_owner);

        var cut = ctx.Render<ContactList>();

        cut.WaitForAssertion(() => Assert.Equal($"/contacts/{id}", cut.Find("[data-testid=contact-row]").GetAttribute("href")));
    }

    private ConsoleBunitContext SignedIn(CallerContext caller)
    {
        var ctx = new ConsoleBunitContext(_core);
        ctx.SignInAs(caller);
        return ctx;
    }
}
