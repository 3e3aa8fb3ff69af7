using GeoEdge.Host.Events;
using GeoEdge.Host.Metrics;
using GeoEdge.Host.Models;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Sensors.Sources;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Service;

/// <summary>A sensor-graph pipeline: readings fill the model's window rings; each completed time step, once a whole window
/// has been seen, is scored.</summary>
/// <remarks>A reading with a later timestamp than the current step closes that step (every sensor of a step shares its
/// timestamp, whether replayed or polled together). A swap to another version starts a fresh window: the new pipeline's
/// rings are empty. A step is scored once: when its scoring throws, the step still counts as closed (one error per
/// window, not one per reading) and the reading that closed it is still added to the next step.</remarks>
internal sealed class SensorPipelineWorker(PipelineContext context, ISensorSource source, ILogger<SensorPipelineWorker> logger)
    : PipelineWorker<SensorReading>(context, logger)
{
    private DateTimeOffset? _step;
    private int _steps;
    private string? _version;
    private string[] _sensors = [];

    protected override PipelineKind Kind => PipelineKind.SensorGraph;

    protected override IAsyncEnumerable<SensorReading> ReadAsync(CancellationToken stoppingToken) => source.ReadAsync(stoppingToken);

    protected override bool Process(SensorReading reading, in ModelLease<ModelPipeline> lease)
    {
        if (lease.Pipeline.SensorGraph is not { } anomaly)
        {
            throw new DeviceStartException($"pipeline {Context.Name}: model {Context.Model} {lease.Version} is not a sensor-graph model");
        }

        if (!ReferenceEquals(_version, lease.Version))
        {
            (_version, _step, _steps, _sensors) = (lease.Version, null, 0, SensorNames(anomaly));
        }

        try
        {
            if (_step is { } step && reading.Time > step)
            {
                _steps++;
                _step = reading.Time;
                if (_steps >= anomaly.Window)
                {
                    Score(anomaly, step, lease.Version, lease.Pipeline);
                }
            }
        }
        finally
        {
            // Also when scoring the closed step threw: the reading belongs to the next step, and dropping it would leave a
            // gap that forward filling hides with the very sample that made the model fail, window after window.
            _step ??= reading.Time;
            Add(anomaly, reading, lease.Version, lease.Pipeline);
        }

        return true; // the loop consumed an input: alive, even while the first window is still filling
    }

    private void Add(SensorGraphAnomaly anomaly, SensorReading reading, string version, ModelPipeline pipeline)
    {
        RejectionReason added = anomaly.Add(reading.Node, reading.Time, reading.Value);
        if (added != RejectionReason.None)
        {
            MetricsFor(version, pipeline).RecordRejection(added);
            WindowsFor(version, pipeline)?.RecordRejection(added);
        }
    }

    protected override string SourceCounters() => source.Counters.ToString();

    protected override IReadOnlyList<string> WindowSensors => _sensors;

    private static string[] SensorNames(SensorGraphAnomaly anomaly)
    {
        var names = new string[anomaly.SensorCount];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = anomaly.SensorName(i);
        }

        return names;
    }

    private void Score(SensorGraphAnomaly anomaly, DateTimeOffset windowEnd, string version, ModelPipeline pipeline)
    {
        PipelineResult<SensorWindowScores> result = anomaly.Score(windowEnd);
        Inferred();
        MetricsFor(version, pipeline).Record(result);
        WindowsFor(version, pipeline)?.Record(result);
        if (DeviceEvents.FromSensorWindow(Context.Time.GetUtcNow(), Context.Name, Context.Model, version, result) is { } e)
        {
            Context.Sinks.Publish(e); // a quiet window is counted in the metrics, not published
        }

        CheckDrift(version, pipeline);
    }
}
