using GeoEdge.Host.Events;
using GeoEdge.Host.Metrics;
using GeoEdge.Host.Models;
using GeoEdge.Sensors.Gpio;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Service;

/// <summary>What every pipeline loop shares: its model's slot, its sinks, metrics per model version, the watchdog beat and
/// the activity record that readiness reads.</summary>
internal sealed record PipelineContext(
    string Name,
    string Model,
    ModelSlot<ModelPipeline> Slot,
    IEventSink Sinks,
    MetricsRegistry Metrics,
    WatchdogHeartbeat Heartbeat,
    PipelineActivity Activity,
    TimeProvider Time,
    string SourceDescription)
{
    /// <summary>The GPIO capture trigger, when the board has one: the next frame after a press is saved.</summary>
    public CaptureTrigger? Capture { get; init; }

    public string CaptureDirectory { get; init; } = string.Empty;

    /// <summary>The fleet agent's metrics windows, when the device reports to a fleet.</summary>
    public GeoEdge.Host.Fleet.MetricsWindowAggregator? Windows { get; init; }

    /// <summary>When to publish a <c>drift</c> event (the device config's drift section).</summary>
    public GeoEdge.Host.Configuration.DriftOptions Drift { get; init; } = new();
}

/// <summary>One pipeline's loop: source → the model's live pipeline (through a lease, so a hot swap never cuts a call) →
/// metrics and sinks; a bad input is a rejection event, never the end of the loop.</summary>
/// <remarks>An inference that throws (ONNX Runtime failing on an input, out of memory, a shape the model cannot take) is
/// counted (metrics, fleet window, the activity record readiness reads), reported through <see cref="ErrorReportThrottle"/>
/// as a log line and an <c>inference_error</c> event, and the loop takes the next input; the watchdog keeps beating, since
/// the loop is alive (a hang is the watchdog's business, an exception is not). Only stopping and a
/// <see cref="DeviceStartException"/> (the model is of the wrong kind for the pipeline: a configuration error) end it.</remarks>
internal abstract class PipelineWorker<TInput>(PipelineContext context, ILogger logger) : BackgroundService
{
    private readonly bool _hangForTest = FaultInjection.HangPipeline == context.Name;
    private readonly ErrorReportThrottle _errorReports = new(ErrorReportThrottle.DefaultInterval);
    private string? _metricsVersion;
    private PipelineMetrics? _metrics;
    private string? _windowsVersion;
    private GeoEdge.Host.Fleet.WindowCounters? _windows;
    private DriftAlarm? _drift;

    protected PipelineContext Context { get; } = context;

    protected ILogger Logger { get; } = logger;

    protected abstract PipelineKind Kind { get; }

    protected abstract IAsyncEnumerable<TInput> ReadAsync(CancellationToken stoppingToken);

    /// <summary>Handles one input with the leased pipeline; returns whether a result was produced (a tick).</summary>
    protected abstract bool Process(TInput input, in ModelLease<ModelPipeline> lease);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int loop = Context.Heartbeat.Register();
        Log.PipelineStarted(Logger, Context.Name, Context.Model, Context.SourceDescription);
        try
        {
            await using IAsyncEnumerator<TInput> inputs = ReadAsync(stoppingToken).GetAsyncEnumerator(stoppingToken);
            while (await NextAsync(inputs, loop, stoppingToken).ConfigureAwait(false))
            {
                Step(inputs.Current, stoppingToken);
                Context.Heartbeat.Beat(loop);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the in-flight input finished above; nothing else to drain.
        }
        catch (Exception e)
        {
            Log.PipelineFailed(Logger, Context.Name, e);
            throw;
        }
        finally
        {
            Context.Heartbeat.Unregister(loop);
            Log.PipelineEnded(Logger, Context.Name, SourceCounters());
        }
    }

    protected abstract string SourceCounters();

    /// <summary>The sensor names (tensor order) the fleet window of the running version counts anomalies for; none by default.</summary>
    protected virtual IReadOnlyList<string> WindowSensors => [];

    /// <summary>Called by the pipeline after a model run gave a result or a rejection: ends a run of failures.</summary>
    protected void Inferred() => Context.Activity.Succeeded(Context.Name);

    /// <summary>The metrics of the version that ran (looked up again only when a swap changed the version), with the running
    /// pipeline's drift monitor attached (a reload of the same version brings a new one).</summary>
    protected PipelineMetrics MetricsFor(string version, ModelPipeline pipeline)
    {
        if (!ReferenceEquals(version, _metricsVersion))
        {
            _metrics = Context.Metrics.ForPipeline(Context.Name, Context.Model, version, Kind);
            _metricsVersion = version;
        }

        if (!ReferenceEquals(_metrics!.Drift, pipeline.Drift))
        {
            _metrics.Drift = pipeline.Drift;
        }

        return _metrics;
    }

    /// <summary>The fleet metrics window of the version that ran (null without a fleet); looked up again only on a swap; the
    /// running pipeline's drift monitor attached as in <see cref="MetricsFor"/>.</summary>
    protected GeoEdge.Host.Fleet.WindowCounters? WindowsFor(string version, ModelPipeline pipeline)
    {
        if (Context.Windows is not { } windows)
        {
            return null;
        }

        if (!ReferenceEquals(version, _windowsVersion))
        {
            _windows = windows.For(Context.Model, version, WindowSensors);
            _windowsVersion = version;
        }

        if (!ReferenceEquals(_windows!.Drift, pipeline.Drift))
        {
            _windows.Drift = pipeline.Drift;
        }

        return _windows;
    }

    /// <summary>Publishes a <c>drift</c> event when the input just run took the version's running drift score to the threshold.</summary>
    protected void CheckDrift(string version, ModelPipeline pipeline)
    {
        _drift ??= new DriftAlarm(Context.Drift);
        if (_drift.Check(Context.Time.GetUtcNow(), Context.Name, Context.Model, version, pipeline.Drift) is { } e)
        {
            Context.Sinks.Publish(e);
        }
    }

    private void Step(TInput input, CancellationToken stoppingToken)
    {
        if (!Context.Slot.TryAcquire(out ModelLease<ModelPipeline> lease))
        {
            Log.NoActiveModel(Logger, Context.Name, Context.Model);
            return;
        }

        bool ticked;
        using (lease)
        {
            try
            {
                ticked = Process(input, lease);
            }
            catch (Exception e) when (e is not DeviceStartException && !(e is OperationCanceledException && stoppingToken.IsCancellationRequested))
            {
                RecordError(lease.Version, lease.Pipeline, e);
                return; // no tick: the input did not go through
            }
        }

        if (ticked)
        {
            Context.Activity.Tick(Context.Name, Context.Time.GetUtcNow());
            if (_hangForTest)
            {
                Log.InjectedHang(Logger, Context.Name);
                Thread.Sleep(Timeout.Infinite); // a stuck native call: no cancellation reaches it, only the watchdog does
            }
        }
    }

    private void RecordError(string version, ModelPipeline pipeline, Exception error)
    {
        MetricsFor(version, pipeline).RecordError();
        WindowsFor(version, pipeline)?.RecordError();
        Context.Activity.Failed(Context.Name, error);
        DateTimeOffset now = Context.Time.GetUtcNow();
        if (_errorReports.Count(now, out long errors))
        {
            Log.InferenceFailed(Logger, Context.Name, Context.Model, version, errors, error);
            Context.Sinks.Publish(DeviceEvents.FromError(now, Context.Name, Context.Model, version, error, errors));
        }
    }

    /// <summary>The next input; while the source is quiet (a UDP stream with no sender) the loop still proves it is alive
    /// to the watchdog, so only a loop stuck in processing stops the pings.</summary>
    private async ValueTask<bool> NextAsync(IAsyncEnumerator<TInput> inputs, int loop, CancellationToken stoppingToken)
    {
        ValueTask<bool> next = inputs.MoveNextAsync();
        if (next.IsCompleted || Context.Heartbeat.Timeout is not { } timeout)
        {
            return await next.ConfigureAwait(false);
        }

        Task<bool> pending = next.AsTask();
        TimeSpan idleBeat = timeout / 4;
        while (await Task.WhenAny(pending, Task.Delay(idleBeat, Context.Time, stoppingToken)).ConfigureAwait(false) != pending)
        {
            stoppingToken.ThrowIfCancellationRequested();
            Context.Heartbeat.Beat(loop);
        }

        return await pending.ConfigureAwait(false);
    }
}
