using System.Globalization;
using GeoEdge.Geometry.IO;
using GeoEdge.Host.Events;
using GeoEdge.Sensors.Gpio;
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

        if (Context.Capture is { } capture && capture.Requests.TryRead(out CaptureRequest request))
        {
            Save(frame, request);
        }

        PipelineResult<CloudClassification> result = classifier.Classify(frame.Cloud);
        Inferred();
        MetricsFor(lease.Version, lease.Pipeline).Record(result);
        WindowsFor(lease.Version, lease.Pipeline)?.Record(result);
        DeviceEvent e = DeviceEvents.FromClassification(Context.Time.GetUtcNow(), Context.Name, Context.Model, lease.Version, result);
        Context.Sinks.Publish(e with { Detail = e.Detail is null ? frame.Origin : $"{frame.Origin}: {e.Detail}" });
        CheckDrift(lease.Version, lease.Pipeline);
        return true;
    }

    protected override string SourceCounters() => source.Counters.ToString();

    /// <summary>A capture keeps the frame as it arrived (binary PCD, written atomically) for later labelling or a bug report.</summary>
    private void Save(PointCloudFrame frame, CaptureRequest request)
    {
        Directory.CreateDirectory(Context.CaptureDirectory);
        string file = Path.Combine(Context.CaptureDirectory, string.Create(CultureInfo.InvariantCulture, $"{Context.Name}-{request.Time:yyyyMMddTHHmmssfff}-{request.Sequence}.pcd"));
        PointCloudWriter.Write(file, frame.Cloud);
        Log.Captured(Logger, Context.Name, file);
    }
}
