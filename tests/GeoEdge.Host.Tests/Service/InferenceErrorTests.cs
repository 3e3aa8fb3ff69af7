using System.Collections.Concurrent;
using GeoEdge.Fleet.Contracts;
using GeoEdge.Host.Events;
using GeoEdge.Host.Fleet;
using GeoEdge.Host.Metrics;
using GeoEdge.Host.Models;
using GeoEdge.Host.Service;
using GeoEdge.Host.Tests.Metrics;
using GeoEdge.Host.Tests.Models;
using GeoEdge.Sensors.Replay;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Tests.Service;

/// <summary>A real model that throws inside ONNX Runtime's Run for some inputs, run by the real point-cloud worker over real
/// PCD files: every error is counted, one is reported, and the loop classifies the next good cloud.</summary>
[Trait("Category", "Fault")]
public sealed class InferenceErrorTests
{
    private const string Version = "1.0.1";
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Inputs_that_make_the_model_throw_are_counted_and_reported_once_and_the_next_good_input_is_classified()
    {
        using var dir = new TempDirectory();
        using ModelStore store = await FailingStoreAsync(dir);
        IReadOnlyList<string> files = FaultClouds.Write(dir.File("clouds"), false, true, true, false, true);
        using var run = new WorkerRun(dir, store, files);

        await run.RunToEndAsync();

        // The loop ended because the replay did, not because of an error: the task ran to completion.
        Assert.True(run.Worker.ExecuteTask!.IsCompletedSuccessfully, run.Worker.ExecuteTask.Exception?.ToString());
        Assert.True(run.Metrics.TryGet("shapes", StoreFixtures.Shapes, Version, out PipelineMetrics? m));
        Assert.Equal((5L, 3L), (m!.Inferences, m.Errors));
        PrometheusText p = PrometheusText.Parse(run.Metrics.ToText());
        (string, string)[] labels = [("pipeline", "shapes"), ("model", StoreFixtures.Shapes), ("version", Version)];
        Assert.Equal(3, p.Value("geoedge_inference_errors_total", labels));
        Assert.Equal(5, p.Value("geoedge_inferences_total", labels));
        Assert.Equal(2, p.Value("geoedge_stage_latency_seconds_count", [.. labels, ("stage", "total")]));

        // The fleet window: errors are inferences too (the server's error rate is errors / inferences = 3/5).
        MetricsWindow window = Assert.Single(run.Windows.Close(Now.AddMinutes(1)));
        Assert.Equal((5L, 3L, 2L, 2L), (window.Inferences, window.Errors, window.ConfidenceHistogram.Sum(), window.LatencyCounts.Sum()));

        // Events in order: the good cloud, the first error (the next two fall in the same minute: counted, not reported),
        // then the good cloud after the bad ones.
        IReadOnlyList<DeviceEvent> events = EventLogReader.Read(dir.File("events.jsonl")).Events;
        Assert.Equal(
            [(DeviceEventKind.Classification, "0-good.pcd"), (DeviceEventKind.InferenceError, "OnnxRuntimeException"), (DeviceEventKind.Classification, "3-good.pcd")],
            events.Select(e => (e.Kind, e.Kind == DeviceEventKind.InferenceError ? e.Label : e.Detail)));
        DeviceEvent error = events[1];
        Assert.Equal(("shapes", StoreFixtures.Shapes, Version, Now), (error.Pipeline, error.Model, error.Version, error.Time));
        Assert.Contains("Gather", error.Detail, StringComparison.Ordinal);

        (EventId Id, Exception? Error) logged = Assert.Single(run.Log.Entries, e => e.Id.Id == 2014);
        Assert.IsType<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>(logged.Error);

        // The last input failed: readiness sees a run of one failure; the good cloud before it ticked.
        Assert.Equal(1, run.Activity.FailedInARow("shapes"));
        Assert.StartsWith("OnnxRuntimeException: ", run.Activity.LastError("shapes"), StringComparison.Ordinal);
        Assert.Equal(Now, run.Activity.LastTick("shapes"));
    }

    [Fact]
    public async Task A_model_failing_on_every_input_keeps_the_loop_running_and_makes_the_pipeline_failing_for_readiness()
    {
        using var dir = new TempDirectory();
        using ModelStore store = await FailingStoreAsync(dir);
        IReadOnlyList<string> files = FaultClouds.Write(dir.File("clouds"), true, true, true, true, true, true);
        using var run = new WorkerRun(dir, store, files);

        await run.RunToEndAsync();

        Assert.True(run.Worker.ExecuteTask!.IsCompletedSuccessfully, run.Worker.ExecuteTask.Exception?.ToString());
        Assert.True(run.Metrics.TryGet("shapes", StoreFixtures.Shapes, Version, out PipelineMetrics? m));
        Assert.Equal((6L, 6L), (m!.Inferences, m.Errors));
        Assert.Equal(6, run.Activity.FailedInARow("shapes"));
        Assert.Null(run.Activity.LastTick("shapes"));
        var heartbeat = new GeoEdge.Host.Diagnostics.PipelineHeartbeat("shapes", StoreFixtures.Shapes, Version, null, TimeSpan.FromSeconds(1),
            run.Activity.FailedInARow("shapes"), run.Activity.LastError("shapes"));
        Assert.StartsWith("pipeline 'shapes' failed its last 6 inferences; the last: OnnxRuntimeException: ", GeoEdge.Host.Diagnostics.Readiness.IsFailing(heartbeat), StringComparison.Ordinal);
        Assert.Single(EventLogReader.Read(dir.File("events.jsonl")).Events);
    }

    private static async Task<ModelStore> FailingStoreAsync(TempDirectory dir)
    {
        string failing = StoreFixtures.PackFailing(dir.File("failing"), Version).Path;
        ModelStore store = StoreFixtures.NewStore(dir.File("state"));
        try
        {
            await store.InstallAsync(failing);
            ActivationResult activated = await store.ActivateAsync(StoreFixtures.Shapes, Version);
            Assert.True(activated.Succeeded, activated.ToString()); // the self-test's inputs run: the model fails only on some
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The real CloudPipelineWorker with the sinks, metrics, fleet windows and activity record the service gives it,
    /// replaying <c>files</c> once as fast as it can on a clock stuck at <see cref="Now"/>.</summary>
    private sealed class WorkerRun : IDisposable
    {
        private readonly EventLog _events;
        private readonly SystemdNotifier _notifier = new(null);

        public WorkerRun(TempDirectory dir, ModelStore store, IReadOnlyList<string> files)
        {
            var clock = new FixedClock(Now);
            _events = new EventLog(dir.File("events.jsonl"));
            var context = new PipelineContext(
                "shapes",
                StoreFixtures.Shapes,
                store.Slot(StoreFixtures.Shapes),
                new EventSinks(new EventRing(), _events),
                Metrics,
                new WatchdogHeartbeat(_notifier, clock, null),
                Activity,
                clock,
                "fault clouds")
            {
                Windows = Windows,
            };
            Worker = new CloudPipelineWorker(context, new PointCloudReplay(files, new ReplayOptions(1000, false), clock), Log);
        }

        public MetricsRegistry Metrics { get; } = new();

        public PipelineActivity Activity { get; } = new();

        public MetricsWindowAggregator Windows { get; } = new(Now);

        public ListLogger<CloudPipelineWorker> Log { get; } = new();

        public CloudPipelineWorker Worker { get; }

        public async Task RunToEndAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await Worker.StartAsync(timeout.Token);
            await Worker.ExecuteTask!.WaitAsync(timeout.Token);
        }

        public void Dispose()
        {
            Worker.Dispose();
            _events.Dispose();
            _notifier.Dispose();
        }
    }
}

/// <summary>An ILogger that keeps each entry's event id and exception (Microsoft's interface; the text is not asserted on).</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(EventId Id, Exception? Error)> _entries = new();

    public IReadOnlyCollection<(EventId Id, Exception? Error)> Entries => _entries;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((eventId, exception));
}
