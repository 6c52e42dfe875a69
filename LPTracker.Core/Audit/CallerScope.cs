namespace LPTracker.Core.Audit;

/// <summary>Who is acting and from where, as the audit log records it.</summary>
public sealed record AuditCaller(int? EmployeeId, string? ClientAddress);

/// <summary>
/// The ambient caller of the current request or circuit event, set explicitly at the edge (HTTP middleware, the
/// Blazor circuit's inbound-activity handler) so that every save can be attributed without threading the caller
/// through each service's persistence code.
/// </summary>
public static class CallerScope
{
    private static readonly AsyncLocal<AuditCaller?> Ambient = new();

    /// <summary>The caller of the current flow, or null (system work such as the registrar).</summary>
    public static AuditCaller? Current => Ambient.Value;

    /// <summary>Sets the caller until the returned handle is disposed.</summary>
    public static IDisposable Begin(int? employeeId, string? clientAddress)
    {
        var previous = Ambient.Value;
        Ambient.Value = new AuditCaller(employeeId, clientAddress);
        return new Restore(previous);
    }

    private sealed class Restore(AuditCaller? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
