using LPTracker.Core.Contacts;
using LPTracker.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Contacts;

/// <summary>Arranging helpers for CRM tests: contacts through the real handler, employees with CRM rights.</summary>
internal static class ContactArrange
{
    /// <summary>Creates a contact in the caller's first project (or <paramref name="projectId"/>); returns its id.</summary>
    public static async Task<int> AddContactAsync(
        this CoreTestHost host, CallerContext caller, string name, string? phone = null, string? email = null, int? projectId = null)
    {
        var form = new ContactForm { ProjectId = projectId ?? await host.FirstProjectAsync(caller), Name = name };
        if (phone is not null)
        {
            form.Phones.Add(new PhoneEntry { Number = phone });
        }

        if (email is not null)
        {
            form.Emails.Add(new EmailEntry { Address = email });
        }

        var result = await host.Get<SaveContact>().SaveAsync(caller, form);
        Assert.True(result.Succeeded, result.Summary);
        return result.Value;
    }

    /// <summary>The account's first project.</summary>
    public static async Task<int> FirstProjectAsync(this CoreTestHost host, CallerContext caller)
    {
        await using var db = await host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(caller.AccountId);
        return await db.Projects.MinAsync(p => p.Id);
    }

    /// <summary>An employee of the first project holding exactly these sections and permissions there.</summary>
    public static async Task<CallerContext> AddCrmEmployeeAsync(
        this CoreTestHost host, CallerContext owner, string suffix, ProjectSections sections,
        EmployeePermissions permissions = EmployeePermissions.None)
    {
        var employee = await host.AddEmployeeAsync(owner, suffix);
        await host.SetRightsAsync(employee, CommonSections.None, permissions, sections);
        return employee;
    }
}
