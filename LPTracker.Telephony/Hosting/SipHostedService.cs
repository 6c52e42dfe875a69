using Microsoft.Extensions.Hosting;

namespace LPTracker.Telephony.Hosting;

/// <summary>Starts the SIP server with the host and stops it on shutdown.</summary>
internal sealed class SipHostedService(SipServer server) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await server.StartAsync(stoppingToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await server.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
