using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Host.Diagnostics;

/// <summary>GET /api/v1/status: the device snapshot joined with the pipelines' metrics.</summary>
public sealed record StatusResponse(
    string Device,
    BoardInfo Board,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    string ExecutionProvider,
    bool Ready,
    IReadOnlyList<PipelineStatus> Pipelines,
    IReadOnlyList<ModelState> Models);

/// <summary>One pipeline in the status: heartbeat plus counts and mean latency of the version it runs.</summary>
/// <remarks><c>Failing</c>: its last inferences all threw (<see cref="Readiness.IsFailing"/>); <c>Errors</c>: inferences that
/// threw, counted in <c>Inferences</c> too.</remarks>
public sealed record PipelineStatus(
    string Name,
    string Model,
    string? Version,
    DateTimeOffset? LastTick,
    double ExpectedPeriodMs,
    bool Late,
    bool Failing,
    long Inferences,
    long Errors,
    long Rejections,
    long OutOfDistribution,
    long Anomalies,
    double? MeanLatencyUs);

/// <summary>GET /readyz: ready or not, and each reason it is not.</summary>
public sealed record ReadinessResponse(bool Ready, IReadOnlyList<string> Reasons);

/// <summary>GET /healthz.</summary>
public sealed record HealthResponse(string Status, double UptimeSeconds);

/// <summary>POST /api/v1/models/{name}/activate body.</summary>
public sealed record ActivateRequest(string? Version);

/// <summary>POST /api/v1/models/install: a bundle directory or .geob on the device, readable by the service.</summary>
public sealed record InstallRequest(string? Path);

/// <summary>POST /api/v1/infer answer: the classification and the model version that made it.</summary>
public sealed record InferenceResponse(
    string Model,
    string Version,
    int Label,
    string LabelName,
    double Confidence,
    IReadOnlyList<ClassProbability> TopK,
    OodAssessment Ood,
    int InputPoints,
    int DroppedNonFinite,
    int RemovedOutliers,
    PointCloudTimings TimingsUs)
{
    public static InferenceResponse From(string model, string version, CloudClassification c) =>
        new(model, version, c.Label, c.LabelName, c.Confidence, c.TopK, c.Ood, c.InputPoints, c.DroppedNonFinite, c.RemovedOutliers, c.Timings);
}

/// <summary>An RFC 9457 problem: what kind of error, its HTTP status and a detail naming what was wrong.</summary>
public sealed record ApiProblem(string Type, string Title, int Status, string Detail, string? Instance = null);
