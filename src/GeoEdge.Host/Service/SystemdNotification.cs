using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Service;

/// <summary>Tells the supervisor READY=1 once the host has started (every model verified, loaded and warmed by then) and
/// STOPPING=1 when a stop begins.</summary>
/// <remarks>Registered last, so its ApplicationStarted callback runs after every hosted service's StartAsync, including
/// <see cref="ModelBootstrap"/>. Under systemd, Microsoft.Extensions.Hosting.Systemd's lifetime sends READY=1 at the same
/// moment; a second READY=1 is harmless, and this one also reaches supervisors and tests that are not PID 1.</remarks>
internal sealed class SystemdNotification(
    SystemdNotifier notifier,
    IHostApplicationLifetime lifetime,
    ModelBootstrapSummary summary,
    ILogger<SystemdNotification> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            Log.Ready(logger, summary.Models, summary.Pipelines);
            notifier.NotifyReady(string.Create(CultureInfo.InvariantCulture,
                $"STATUS={summary.Models} models loaded, {summary.Pipelines} pipelines running\nMAINPID={Environment.ProcessId}"));
        });
        lifetime.ApplicationStopping.Register(() =>
        {
            Log.Stopping(logger);
            notifier.Notify("STOPPING=1\nSTATUS=draining pipelines");
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>What the READY=1 status line reports.</summary>
internal sealed record ModelBootstrapSummary(int Models, int Pipelines);
