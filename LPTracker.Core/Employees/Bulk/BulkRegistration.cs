using Microsoft.Extensions.DependencyInjection;

namespace LPTracker.Core.Employees.Bulk;

/// <summary>Registers the Employees list's bulk actions, export and import (one line in <c>AddCore</c>).</summary>
public static class BulkRegistration
{
    public static IServiceCollection AddEmployeeBulkTools(this IServiceCollection services)
    {
        services.AddSingleton<BulkEmployeeActions>();
        services.AddSingleton<EmployeeExport>();
        return services;
    }
}
