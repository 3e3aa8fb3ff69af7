using GeoEdge.Geometry;
using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Host.Diagnostics;

/// <summary>Port: runs one point cloud through the active point-cloud pipeline (POST /api/v1/infer); implemented by `geoedge run`.</summary>
public interface IInferenceGateway
{
    /// <summary>Classifies <paramref name="cloud"/>; null when no point-cloud model is active (the API answers 409).</summary>
    Task<InferenceOutcome?> ClassifyAsync(PointCloud cloud, CancellationToken cancellationToken);
}

/// <summary>A classification and the model version that made it.</summary>
public sealed record InferenceOutcome(string Model, string Version, PipelineResult<CloudClassification> Result);
