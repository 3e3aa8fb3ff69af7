using GeoEdge.Fleet.Contracts;
using GeoEdge.Host.Fleet;
using GeoEdge.Host.Models;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoEdge.FleetSimulator;

/// <summary>One simulated device: the real agent parts (enrollment, signed FleetClient, StatusOutbox, the OTA flow over a
/// real ModelStore, Reconciler, MetricsQueue, MetricsUploader) wired and looped as FleetAgentService does, in its own
/// state directory; only the pipelines are replaced (by <see cref="WorkloadDriver"/> writing into its windows).</summary>
internal sealed class SimulatedDevice : IDisposable
{
    // One ONNX Runtime thread and one buffer set per model: a thousand devices share two cores.
    private static readonly ModelSessionOptions Session = new() { IntraOpThreads = 1, InterOpThreads = 1, MaxConcurrency = 1, WarmupRuns = 1 };

    private readonly SimulationSettings _settings;
    private readonly RequestLog _requests;
    private readonly ILogger _logger;
    private readonly AgentFiles _files;
    private readonly ModelStore _store;
    private readonly MetricsWindowAggregator _windows = new(DateTimeOffset.UtcNow);
    private readonly Backoff _backoff = Backoff.Default;
    private DeviceCredentials? _credentials;
    private FleetClient? _client;
    private MetricsQueue? _queue;
    private long _inferences;
    private long _rejections;
    private int _failures;

    public SimulatedDevice(int index, string stateDirectory, TrustedKeys keys, SimulationSettings settings, RequestLog requests, ILogger logger)
    {
        Index = index;
        HwId = $"sim-{index:D5}";
        _settings = settings;
        _requests = requests;
        _logger = logger;
        _files = new AgentFiles(stateDirectory);
        _store = new ModelStore(stateDirectory, keys, Session, NullLogger<ModelStore>.Instance, TimeProvider.System);
    }

    public int Index { get; }

    public string HwId { get; }

    /// <summary>The id the server gave at enrollment; null before.</summary>
    public string? DeviceId => _credentials?.DeviceId;

    /// <summary>The open window of the version the device serves now; null until enrolled (its pipelines start then).</summary>
    public WindowCounters? Counters => _credentials is null ? null : _windows.For(_settings.Model, _store.Slot(_settings.Model).Version ?? _settings.FromVersion);

    /// <summary>Inferences and rejections the workload recorded into this device's windows.</summary>
    public long Inferences => Interlocked.Read(ref _inferences);

    public long Rejections => Interlocked.Read(ref _rejections);

    /// <summary>Loop iterations that failed after the client's own retries.</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>Run seconds at which the device first found the target version active (the rollout converged here).</summary>
    public double? ConvergedAt { get; private set; }

    /// <summary>The version the rollout moves to; set by the simulation when it starts the rollout.</summary>
    public string? TargetVersion { get; set; }

    public void CountInference() => Interlocked.Increment(ref _inferences);

    public void CountRejection() => Interlocked.Increment(ref _rejections);

    /// <summary>Enrolls (once), then runs the reconcile loop and the metrics loop until <paramref name="stop"/> fires.</summary>
    public async Task RunAsync(string enrollmentToken, CancellationToken stop)
    {
        try
        {
            _credentials = await EnrollAsync(enrollmentToken, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        _client = NewClient(_credentials);
        using var outbox = new StatusOutbox(_files.Outbox, _client, _logger);
        var steps = new OtaSteps(_store, new BundleDownload(_client, _logger), _files, [_settings.Model]);
        var flow = new OtaFlow(_files, steps, outbox, TimeProvider.System, _logger);
        var reconciler = new Reconciler(_client, flow, new PlanRunner(_backoff, TimeProvider.System, _logger),
            new StateReporter(_client, _store, "sim-x64", FleetAgentService.AgentVersion, _settings.Attributes), _files, _settings.PollSeconds, _logger);
        _queue = MetricsQueue.Open(_files.Metrics, 10_080, _logger);
        var uploader = new MetricsUploader(_client, _queue, _backoff, _logger);
        await Task.WhenAll(ReconcileLoopAsync(reconciler, flow, outbox, stop), MetricsLoopAsync(uploader, stop)).ConfigureAwait(false);
    }

    /// <summary>After the loops stopped: closes the open window into the queue and uploads until it is empty (or
    /// <paramref name="deadline"/> passes), as the agent would on its next start.</summary>
    public async Task<QueueState> DrainAsync(CancellationToken deadline)
    {
        if (_client is null || _queue is null || DeviceId is null)
        {
            return new QueueState(DeviceId, 0, 0, 0);
        }

        foreach (MetricsWindow closed in _windows.Close(DateTimeOffset.UtcNow))
        {
            _queue.Append(closed);
        }

        var uploader = new MetricsUploader(_client, _queue, _backoff, _logger);
        while (_queue.Count > 0 && !deadline.IsCancellationRequested)
        {
            if (await uploader.UploadOnceAsync(deadline).ConfigureAwait(false) is { } wait && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, deadline).ConfigureAwait(false);
            }
        }

        return new QueueState(DeviceId, _queue.Epoch, _queue.NextSeq, _queue.Count);
    }

    public void Dispose()
    {
        _client?.Dispose();
        _credentials?.Dispose();
        _store.Dispose();
    }

    private async Task<DeviceCredentials> EnrollAsync(string token, CancellationToken stop)
    {
        using FleetClient client = NewClient(null);
        var identity = new DeviceIdentity("sim-x64", FleetAgentService.AgentVersion, _settings.Attributes, []);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await DeviceEnrollment.LoadOrEnrollAsync(_files, client, HwId, token, identity, _logger, stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FleetRequestException or IOException)
            {
                Interlocked.Increment(ref _failures);
                await Task.Delay(_backoff.Delay(attempt), stop).ConfigureAwait(false);
            }
        }
    }

    private FleetClient NewClient(DeviceCredentials? credentials) =>
        new(_settings.ServerUrl, new TimingHandler(_requests, Index, FleetClient.CreateHandler(null, null)), TimeProvider.System, _backoff, _logger) // plain http on 127.0.0.1: no TLS
        {
            Credentials = credentials,
        };

    // FleetAgentService.ReconcileLoopAsync, plus the convergence check the benchmark reads.
    private async Task ReconcileLoopAsync(Reconciler reconciler, OtaFlow flow, StatusOutbox outbox, CancellationToken stop)
    {
        int failures = 0;
        while (!stop.IsCancellationRequested)
        {
            TimeSpan next;
            try
            {
                await outbox.DrainAsync(stop).ConfigureAwait(false);
                next = _backoff.Jitter(await reconciler.ReconcileOnceAsync(stop).ConfigureAwait(false));
                failures = 0;
                if (ConvergedAt is null && TargetVersion is { } target && flow.Current is { State: OtaState.Done } done && done.Assignment.Version == target)
                {
                    ConvergedAt = _requests.Now;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // As FleetAgentService: whatever went wrong, back off and try again.
                Interlocked.Increment(ref _failures);
                next = _backoff.Delay(failures++);
            }

            if (!await Sleep(next, stop).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    // FleetAgentService.MetricsLoopAsync: close the window on the device clock, append, upload.
    private async Task MetricsLoopAsync(MetricsUploader uploader, CancellationToken stop)
    {
        TimeSpan window = TimeSpan.FromSeconds(_settings.WindowSeconds);
        DateTimeOffset close = DateTimeOffset.UtcNow + window;
        DateTimeOffset upload = DateTimeOffset.UtcNow;
        while (!stop.IsCancellationRequested)
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            try
            {
                if (now >= close)
                {
                    foreach (MetricsWindow closed in _windows.Close(now))
                    {
                        _queue!.Append(closed);
                    }

                    close = now + window;
                    upload = now;
                }

                if (now >= upload)
                {
                    TimeSpan? after = await uploader.UploadOnceAsync(stop).ConfigureAwait(false);
                    upload = after is { } delay ? DateTimeOffset.UtcNow + delay : close;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // As FleetAgentService: a failed append or upload backs off one window; the device keeps going.
                Interlocked.Increment(ref _failures);
                upload = DateTimeOffset.UtcNow + window;
            }

            DateTimeOffset wake = upload < close ? upload : close;
            if (!await Sleep(wake - DateTimeOffset.UtcNow, stop).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private static async Task<bool> Sleep(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
