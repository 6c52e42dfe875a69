using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Web.Telephony;

/// <summary>The console with its SIP stack on a database of its own on the run's private PostgreSQL.</summary>
public sealed class PostgresTelephonyAppFixture : TelephonyAppFixture
{
    private string _connection = "";

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
    {
        ["Database:Provider"] = "Postgres",
        ["ConnectionStrings:Lptracker"] = _connection,
    };

    public override async Task InitializeAsync()
    {
        _connection = await (await PostgresTestServer.SharedAsync()).CreateDatabaseAsync();
        await base.InitializeAsync();
    }
}
