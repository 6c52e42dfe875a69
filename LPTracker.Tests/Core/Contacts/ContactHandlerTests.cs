using System.Globalization;
using LPTracker.Core.Contacts;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Contacts;

public sealed class ContactHandlerTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public ContactHandlerTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private SaveContact Save => _host.Get<SaveContact>();

    private ContactQueries Queries => _host.Get<ContactQueries>();

    [Theory]
    [InlineData("8 (812) 389-32-98")]
    [InlineData("+7 812 3893298")]
    [InlineData("7-812-389-32-98")]
    public async Task Phones_typed_in_any_format_are_stored_in_E164(string typed)
    {
        var id = await _host.AddContactAsync(_owner, "Иван", typed);

        var card = (await Queries.GetAsync(_owner, id)).Value!;

        Assert.Equal("+78123893298", Assert.Single(card.Phones).E164);
    }

    [Theory]
    [InlineData("ru-RU", "«12» — не номер телефона. Пример: +7 812 389-32-98 или 8 (812) 389-32-98.")]
    [InlineData("en-US", "\"12\" is not a phone number. Example: +7 812 389-32-98 or 8 (812) 389-32-98.")]
    public async Task A_bad_phone_is_refused_with_a_localised_message_and_nothing_is_saved(string culture, string message)
    {
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        var form = new ContactForm { ProjectId = await _host.FirstProjectAsync(_owner), Name = "Иван", Phones = [new() { Number = "12" }] };

        var result = await Save.SaveAsync(_owner, form);

        Assert.Equal(message, result.ErrorFor("Phones[0].Number"));
        Assert.Equal(0, (await Queries.ListAsync(_owner, new())).Value!.Total);
    }

    [Fact]
    public async Task A_number_another_contact_of_the_project_has_is_refused_naming_that_contact()
    {
        await _host.AddContactAsync(_owner, "Иван Петров", "+78123893298");
        var form = new ContactForm { ProjectId = await _host.FirstProjectAsync(_owner), Name = "Пётр", Phones = [new() { Number = "8 812 389 32 98" }] };

        var result = await Save.SaveAsync(_owner, form);

        Assert.Equal("Номер +7 812 389-32-98 уже есть у контакта «Иван Петров» в этом проекте.", result.ErrorFor(nameof(ContactForm.Phones)));
    }

    [Fact]
    public async Task Contacts_of_two_projects_may_share_a_number()
    {
        var second = await _host.AddProjectAsync(_owner, "Проект 2");
        await _host.AddContactAsync(_owner, "Иван", "+78123893298");

        var id = await _host.AddContactAsync(_owner, "Иван", "+78123893298", projectId: second);

        Assert.True(id > 0);
    }

    [Fact]
    public async Task A_contact_needs_at_least_one_detail()
    {
        var form = new ContactForm { ProjectId = await _host.FirstProjectAsync(_owner), Phones = [new()], Emails = [new()] };

        var result = await Save.SaveAsync(_owner, form);

        Assert.Equal("Укажите хотя бы что-то одно: имя, компанию, телефон или e-mail.", result.Summary);
    }

    [Fact]
    public async Task A_10_KB_comment_or_name_is_refused()
    {
        var form = new ContactForm { ProjectId = await _host.FirstProjectAsync(_owner), Name = new string('я', 10_240), Comment = new string('x', 10_240) };

        var result = await Save.SaveAsync(_owner, form);

        Assert.Equal("Не больше 200 символов.", result.ErrorFor(nameof(ContactForm.Name)));
        Assert.Equal("Не больше 4000 символов.", result.ErrorFor(nameof(ContactForm.Comment)));
    }

    [Fact]
    public async Task A_bad_email_is_refused()
    {
        var form = new ContactForm { ProjectId = await _host.FirstProjectAsync(_owner), Name = "Иван", Emails = [new() { Address = "ivan@" }] };

        var result = await Save.SaveAsync(_owner, form);

        Assert.Equal("«ivan@» — не адрес e-mail. Пример: name@example.ru.", result.ErrorFor("Emails[0].Address"));
    }

    [Theory]
    [InlineData("иванов")]
    [InlineData("ИВАНОВ")]
    [InlineData("Иванов")]
    [InlineData("ромашк")]
    [InlineData("(921) 555-00-01")]
    [InlineData("ivanov@example")]
    public async Task Search_finds_a_contact_by_name_company_phone_digits_or_email_whatever_the_case(string term)
    {
        await _host.AddContactAsync(_owner, "Пётр Сидоров", "+79215550002");
        var form = new ContactForm
        {
            ProjectId = await _host.FirstProjectAsync(_owner), Name = "Иван Иванов", Company = "ООО Ромашка",
            Phones = [new() { Number = "+7 921 555-00-01" }], Emails = [new() { Address = "Ivanov@Example.com" }],
        };
        await Save.SaveAsync(_owner, form);

        var page = (await Queries.ListAsync(_owner, new(term))).Value!;

        Assert.Equal("Иван Иванов", Assert.Single(page.Rows).Name);
    }

    [Fact]
    public async Task The_list_shows_only_the_current_projects_contacts()
    {
        var second = await _host.AddProjectAsync(_owner, "Проект 2");
        await _host.AddContactAsync(_owner, "Первый");
        await _host.AddContactAsync(_owner, "Второй", projectId: second);

        var page = (await Queries.ListAsync(_owner, new())).Value!;

        Assert.Equal(["Первый"], page.Rows.Select(r => r.Name));
    }

    [Fact]
    public async Task A_save_against_a_contact_changed_meanwhile_is_refused_and_the_first_save_stays()
    {
        var id = await _host.AddContactAsync(_owner, "Иван");
        var first = (await Queries.GetAsync(_owner, id)).Value!.ToForm();
        var second = (await Queries.GetAsync(_owner, id)).Value!.ToForm();
        first.Name = "Иван Первый";
        second.Name = "Иван Второй";

        await Save.SaveAsync(_owner, first);
        var later = await Save.SaveAsync(_owner, second);

        Assert.StartsWith("Контакт уже изменил кто-то другой.", later.Summary, StringComparison.Ordinal);
        Assert.Equal("Иван Первый", (await Queries.GetAsync(_owner, id)).Value!.Name);
    }

    [Fact]
    public async Task Editing_keeps_a_number_and_adds_another()
    {
        var id = await _host.AddContactAsync(_owner, "Иван", "+78123893298");
        var form = (await Queries.GetAsync(_owner, id)).Value!.ToForm();
        form.Phones.Add(new PhoneEntry { Number = "+7 921 555 00 01", Kind = PhoneKind.Work });

        var result = await Save.SaveAsync(_owner, form);

        Assert.True(result.Succeeded, result.Summary);
        Assert.Equal(["+78123893298", "+79215550001"], (await Queries.GetAsync(_owner, id)).Value!.Phones.Select(p => p.E164));
    }

    [Fact]
    public async Task Markup_is_stored_as_typed()
    {
        var id = await _host.AddContactAsync(_owner, "<script>alert(1)</script>");

        Assert.Equal("<script>alert(1)</script>", (await Queries.GetAsync(_owner, id)).Value!.Name);
    }

    [Fact]
    public async Task Without_the_contacts_section_the_list_card_save_and_delete_are_refused_and_nothing_changes()
    {
        var id = await _host.AddContactAsync(_owner, "Иван");
        var leadsOnly = await _host.AddCrmEmployeeAsync(_owner, "leads", ProjectSections.Leads, EmployeePermissions.All);
        var form = (await Queries.GetAsync(_owner, id)).Value!.ToForm();
        form.Name = "Изменён";

        Assert.Equal("Недостаточно прав для этого действия.", (await Queries.ListAsync(leadsOnly, new())).Summary);
        Assert.Equal("Недостаточно прав для этого действия.", (await Queries.GetAsync(leadsOnly, id)).Summary);
        Assert.Equal("Недостаточно прав для этого действия.", (await Save.SaveAsync(leadsOnly, form)).Summary);
        Assert.Equal("Недостаточно прав для этого действия.", (await _host.Get<DeleteContact>().DeleteAsync(leadsOnly, id)).Summary);
        Assert.Equal("Иван", (await Queries.GetAsync(_owner, id)).Value!.Name);
    }

    [Fact]
    public async Task Deleting_needs_the_delete_permission()
    {
        var id = await _host.AddContactAsync(_owner, "Иван");
        var keeper = await _host.AddCrmEmployeeAsync(_owner, "keeper", ProjectSections.Contacts);
        var deleter = await _host.AddCrmEmployeeAsync(_owner, "deleter", ProjectSections.Contacts, EmployeePermissions.DeleteData);

        var refused = await _host.Get<DeleteContact>().DeleteAsync(keeper, id);
        var allowed = await _host.Get<DeleteContact>().DeleteAsync(deleter, id);

        Assert.False(refused.Succeeded);
        Assert.True(allowed.Succeeded, allowed.Summary);
        Assert.Equal("Контакт не найден: возможно, его удалили.", (await Queries.GetAsync(_owner, id)).Summary);
    }

    [Fact]
    public async Task Another_accounts_contact_reads_as_not_found_and_cannot_be_changed()
    {
        var other = await _host.SignUpAsync();
        var foreign = await _host.AddContactAsync(other, "Чужой");
        var form = (await Queries.GetAsync(other, foreign)).Value!.ToForm();
        form.Name = "Взломан";

        Assert.Equal("Контакт не найден: возможно, его удалили.", (await Queries.GetAsync(_owner, foreign)).Summary);
        Assert.False((await Save.SaveAsync(_owner, form)).Succeeded);
        Assert.False((await _host.Get<DeleteContact>().DeleteAsync(_owner, foreign)).Succeeded);
        Assert.Equal("Чужой", (await Queries.GetAsync(other, foreign)).Value!.Name);
    }

    [Fact]
    public async Task A_new_contact_in_another_accounts_project_is_refused()
    {
        var other = await _host.SignUpAsync();
        var form = new ContactForm { ProjectId = await _host.FirstProjectAsync(other), Name = "Подкинутый" };

        var result = await Save.SaveAsync(_owner, form);

        Assert.Equal("Недостаточно прав для этого действия.", result.Summary);
    }
}
