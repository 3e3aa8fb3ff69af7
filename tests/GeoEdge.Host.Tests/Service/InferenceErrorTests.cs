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
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Tests.Service;

/// <summary>Real models that throw inside ONNX Runtime's Run for some inputs, run by the real pipeline workers over real PCD
/// and CSV files: every error is counted, one a minute is reported, and the loop takes the next good input.</summary>
[Trait("Category", "Fault")]
public sealed class InferenceErrorTests
{
    private const string Version = "1.0.1";
    private const string Sensor = "sensor-stgnn";
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
        Assert.Contains("Gather node", error.Detail, StringComparison.Ordinal);
        Assert.Contains("indices element out of data bounds, idx=100", error.Detail, StringComparison.Ordinal);

        (EventId Id, Exception? Error) logged = Assert.Single(run.Log, e => e.Id.Id == 2014);
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

    [Fact]
    public async Task A_sensor_window_whose_scoring_throws_is_one_error_and_the_next_windows_are_scored_with_their_flagged_sensors()
    {
        using var dir = new TempDirectory();
        using ModelStore store = await FailingStoreAsync(dir, Sensor);
        // 68 rows five minutes apart: the first window (64 steps) closes when row 64 arrives and ends with row 63, whose
        // temp_r1 of 40 °C makes the model throw; the windows ending with rows 64, 65 and 66 run (row 67 never closes).
        string csv = SensorRecording(dir.File("recording.csv"), rows: 68, spikeRow: 63);
        using var run = new WorkerRun(dir, store, Sensor, (context, log) =>
            new SensorPipelineWorker(context, new SensorCsvReplay(csv, new ReplayOptions(10_000, false), context.Time), new ListLogger<SensorPipelineWorker>(log)));

        await run.RunToEndAsync();

        Assert.True(run.Worker.ExecuteTask!.IsCompletedSuccessfully, run.Worker.ExecuteTask.Exception?.ToString());
        Assert.True(run.Metrics.TryGet("building", Sensor, Version, out PipelineMetrics? m));
        Assert.Equal((4L, 1L), (m!.Inferences, m.Errors)); // one error for the window, not one per reading of its next step
        MetricsWindow window = Assert.Single(run.Windows.Close(Now.AddMinutes(1)));
        Assert.Equal((4L, 1L), (window.Inferences, window.Errors));
        Assert.Equal(new Dictionary<string, long> { ["temp_r3"] = 3, ["windows"] = 3 }, window.Anomalies);
        // One row repeated is a flat recording, which the shipped bundle's per-window OOD rule puts outside its training
        // inputs: the flagged sensors come as ood events, and the window counts them as out of distribution.
        Assert.Equal(3, window.OodCount);
        IReadOnlyList<DeviceEvent> events = EventLogReader.Read(dir.File("events.jsonl")).Events;
        Assert.Equal([DeviceEventKind.InferenceError, DeviceEventKind.Ood, DeviceEventKind.Ood, DeviceEventKind.Ood], events.Select(e => e.Kind));
        Assert.All(events.Skip(1), e => Assert.Equal(["temp_r3"], e.AnomalousSensors!));
        Assert.Equal(0, run.Activity.FailedInARow("building"));
    }

    /// <summary>A wide CSV with the shipped recording's columns: its first row repeated every five minutes, temp_r1 = 40 °C in <paramref name="spikeRow"/>.</summary>
    private static string SensorRecording(string file, int rows, int spikeRow)
    {
        string[] shipped = File.ReadLines(Repository.Path("models/sensor-stgnn/samples/recording.csv")).Take(2).ToArray();
        string[] values = shipped[1].Split(',')[1..];
        var start = new DateTime(2024, 6, 5, 1, 20, 0);
        var lines = new List<string> { shipped[0] };
        for (int r = 0; r < rows; r++)
        {
            string temp = r == spikeRow ? "40" : values[0];
            lines.Add($"{start.AddMinutes(5 * r):yyyy-MM-ddTHH:mm:ss},{temp},{string.Join(',', values[1..])}");
        }

        File.WriteAllLines(file, lines);
        return file;
    }

    private static async Task<ModelStore> FailingStoreAsync(TempDirectory dir, string model = StoreFixtures.Shapes)
    {
        string failing = (model == Sensor ? StoreFixtures.PackFailingSensor(dir.File("failing"), Version) : StoreFixtures.PackFailing(dir.File("failing"), Version)).Path;
        ModelStore store = StoreFixtures.NewStore(dir.File("state"));
        try
        {
            await store.InstallAsync(failing);
            ActivationResult activated = await store.ActivateAsync(model, Version);
            Assert.True(activated.Succeeded, activated.ToString()); // the self-test's inputs run: the model fails only on some
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>A real pipeline worker with the sinks, metrics, fleet windows and activity record the service gives it, on a
    /// clock stuck at <see cref="Now"/>; by default the point-cloud worker replaying <c>files</c> once as fast as it can.</summary>
    private sealed class WorkerRun : IDisposable
    {
        private readonly EventLog _events;
        private readonly SystemdNotifier _notifier = new(null);

        public WorkerRun(TempDirectory dir, ModelStore store, IReadOnlyList<string> files)
            : this(dir, store, StoreFixtures.Shapes, (context, log) => new CloudPipelineWorker(context, new PointCloudReplay(files, new ReplayOptions(1000, false), context.Time), new ListLogger<CloudPipelineWorker>(log)))
        {
        }

        public WorkerRun(TempDirectory dir, ModelStore store, string model, Func<PipelineContext, ConcurrentQueue<(EventId Id, Exception? Error)>, BackgroundService> worker)
        {
            var clock = new FixedClock(Now);
            _events = new EventLog(dir.File("events.jsonl"));
            var context = new PipelineContext(
                model == StoreFixtures.Shapes ? "shapes" : "building",
                model,
                store.Slot(model),
                new EventSinks(new EventRing(), _events),
                Metrics,
                new WatchdogHeartbeat(_notifier, clock, null),
                Activity,
                clock,
                "fault clouds")
            {
                Windows = Windows,
            };
            Worker = worker(context, Log);
        }

        public MetricsRegistry Metrics { get; } = new();

        public PipelineActivity Activity { get; } = new();

        public MetricsWindowAggregator Windows { get; } = new(Now);

        public BackgroundService Worker { get; }

        /// <summary>The worker's log entries: event id and exception.</summary>
        public ConcurrentQueue<(EventId Id, Exception? Error)> Log { get; } = new();

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

/// <summary>An ILogger that keeps each entry's event id and exception in <paramref name="entries"/> (Microsoft's interface;
/// the text is not asserted on).</summary>
internal sealed class ListLogger<T>(ConcurrentQueue<(EventId Id, Exception? Error)> entries) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        entries.Enqueue((eventId, exception));
}
