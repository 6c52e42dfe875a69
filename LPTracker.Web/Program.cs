using LPTracker.Core;
using LPTracker.Telephony;
using LPTracker.Telephony.Integration;
using LPTracker.Web;
using LPTracker.Web.Operations;
using LPTracker.Web.ScaleOut;

var builder = WebApplication.CreateBuilder(args);

builder.AddCore();
builder.AddTelephonyStore();
builder.AddTelephony();
builder.AddWeb();
builder.AddScaleOut();
builder.AddOperations();

var app = builder.Build();

if (!await app.PrepareDatabaseAsync(args))
{
    return 1;
}

app.UseOperations();
app.UseWeb();
await app.RunAsync();
return 0;

/// <summary>The web host's entry point (public so tests can start it with WebApplicationFactory).</summary>
public partial class Program;
