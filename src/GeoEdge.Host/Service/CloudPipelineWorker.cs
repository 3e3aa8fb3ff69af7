using System.Diagnostics;
using GeoEdge.Host.Events;
using GeoEdge.Host.Metrics;
using GeoEdge.Host.Models;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Sensors.Sources;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Service;

/// <summary>A point-cloud pipeline: frames from a replay or UDP source classified by the model's live pipeline.</summary>
internal sealed class CloudPipelineWorker(PipelineContext context, IPointCloudSource source, ILogger<CloudPipelineWorker> logger)
    : PipelineWorker<PointCloudFrame>(context, logger)
{
    protected override PipelineKind Kind => PipelineKind.PointCloud;

    protected override IAsyncEnumerable<PointCloudFrame> ReadAsync(CancellationToken stoppingToken) => source.ReadAsync(stoppingToken);

    protected override bool Process(PointCloudFrame frame, in ModelLease<ModelPipeline> lease)
    {
        if (lease.Pipeline.PointCloud is not { } classifier)
        {
            throw new DeviceStartException($"pipeline {Context.Name}: model {Context.Model} {lease.Version} is not a point-cloud classifier");
        }

        long start = Stopwatch.GetTimestamp();
        PipelineResult<CloudClassification> result = classifier.Classify(frame.Cloud);
        double latencyUs = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        MetricsFor(lease.Version).Record(result);
        DeviceEvent e = ResultEvents.From(result, Context.Time.GetUtcNow(), Context.Name, Context.Model, lease.Version, latencyUs);
        Context.Sinks.Publish(e with { Detail = e.Detail is null ? frame.Origin : $"{frame.Origin}: {e.Detail}" });
        return true;
    }

    protected override string SourceCounters() => source.Counters.ToString();
}
