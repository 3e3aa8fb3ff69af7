using GeoEdge.Host.Configuration;
using GeoEdge.Host.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Fleet;

/// <summary>The fleet agent inside `geoedge run`: enrolls once, then runs the reconcile loop (with the status outbox)
/// and the metrics loop (close windows, upload) side by side until the service stops.</summary>
public sealed class FleetAgentService(DeviceOptions options, ModelStore store, MetricsWindowAggregator windows, TimeProvider time, ILogger<FleetAgentService> logger)
    : BackgroundService
{
    private readonly FleetOptions _fleet = options.Fleet ?? throw new ArgumentException("the device config has no fleet section", nameof(options));
    private readonly Backoff _backoff = Backoff.Default;

    public static string AgentVersion => typeof(FleetAgentService).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var files = new AgentFiles(options.StateDirectory);
        using DeviceCredentials credentials = await EnrollAsync(files, stoppingToken).ConfigureAwait(false);
        using FleetClient client = FleetClient.ForDevice(new Uri(_fleet.ServerUrl), credentials, _fleet.UseClientCertificate, time, _backoff, logger);
        using var outbox = new StatusOutbox(files.Outbox, client, logger);
        var steps = new OtaSteps(store, new BundleDownload(client, logger), files, options.Models.ConvertAll(m => m.Name));
        var flow = new OtaFlow(files, steps, outbox, time, logger);
        var reconciler = new Reconciler(client, flow, new PlanRunner(_backoff, time, logger),
            new StateReporter(client, store, options.Board.Name, AgentVersion, _fleet.Attributes), files, _fleet.PollSeconds, logger);
        MetricsQueue queue = MetricsQueue.Open(files.Metrics, _fleet.MetricsQueueMaxWindows, logger);
        var uploader = new MetricsUploader(client, queue, _backoff, logger);
        await Task.WhenAll(ReconcileLoopAsync(reconciler, outbox, stoppingToken), MetricsLoopAsync(queue, uploader, stoppingToken)).ConfigureAwait(false);
    }

    private async Task<DeviceCredentials> EnrollAsync(AgentFiles files, CancellationToken stoppingToken)
    {
        // No device certificate and no fleet CA yet: the enrollment URL is checked against the system's roots (https) or is
        // plain http on a trusted network; what it answers (the CA) is pinned from then on.
        using var client = new FleetClient(new Uri(_fleet.EnrollUrl ?? _fleet.ServerUrl), FleetClient.CreateHandler(null, null), time, _backoff, logger);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                string hwId = _fleet.HwId ?? DeviceEnrollment.MachineId();
                string token = _fleet.EnrollmentToken ?? File.ReadAllText(_fleet.EnrollmentTokenFile!).Trim();
                var identity = new GeoEdge.Fleet.Contracts.DeviceIdentity(options.Board.Name, AgentVersion, _fleet.Attributes, _fleet.Tags);
                return await DeviceEnrollment.LoadOrEnrollAsync(files, client, hwId, token, identity, logger, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FleetRequestException or IOException)
            {
                // A refused token (4xx) waits as long as the backoff allows: an operator may fix it server-side.
                TimeSpan delay = _backoff.Delay(attempt);
                Log.LoopFailed(logger, "enrollment", delay.TotalSeconds, e.Message);
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ReconcileLoopAsync(Reconciler reconciler, StatusOutbox outbox, CancellationToken stoppingToken)
    {
        int failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan next;
            try
            {
                await outbox.DrainAsync(stoppingToken).ConfigureAwait(false);
                next = _backoff.Jitter(await reconciler.ReconcileOnceAsync(stoppingToken).ConfigureAwait(false));
                failures = 0;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Whatever went wrong, the device keeps serving its models: the agent backs off and tries again.
                next = _backoff.Delay(failures++);
                Log.LoopFailed(logger, "reconcile", next.TotalSeconds, e.Message);
            }

            await Task.Delay(next, time, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task MetricsLoopAsync(MetricsQueue queue, MetricsUploader uploader, CancellationToken stoppingToken)
    {
        TimeSpan window = TimeSpan.FromSeconds(_fleet.MetricsWindowSeconds);
        DateTimeOffset close = time.GetUtcNow() + window;
        DateTimeOffset upload = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset now = time.GetUtcNow();
            try
            {
                if (now >= close)
                {
                    foreach (GeoEdge.Fleet.Contracts.MetricsWindow closed in windows.Close(now))
                    {
                        queue.Append(closed);
                    }

                    close = now + window;
                    upload = now;
                }

                if (now >= upload)
                {
                    TimeSpan? after = await uploader.UploadOnceAsync(stoppingToken).ConfigureAwait(false);
                    upload = after is { } delay ? time.GetUtcNow() + delay : close;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // A full disk or a damaged queue file must not stop the device; windows of a close that failed to append are lost (logged).
                upload = time.GetUtcNow() + window;
                Log.LoopFailed(logger, "metrics", window.TotalSeconds, e.Message);
            }

            DateTimeOffset wake = upload < close ? upload : close;
            TimeSpan wait = wake - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }
}
