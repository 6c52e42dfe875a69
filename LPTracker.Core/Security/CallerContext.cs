namespace LPTracker.Core.Security;

/// <summary>Who is calling a Core service: taken from the signed-in principal, never from the request body.</summary>
public sealed record CallerContext(int AccountId, int EmployeeId);
