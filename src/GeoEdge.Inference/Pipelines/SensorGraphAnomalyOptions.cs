using GeoEdge.Inference.Runtime;

namespace GeoEdge.Inference.Pipelines;

/// <summary>How a <see cref="SensorGraphAnomaly"/> runs its ONNX Runtime session.</summary>
public sealed class SensorGraphAnomalyOptions
{
    /// <summary>Providers, threads and concurrency of the session; the pipeline sets the input shape (one window).</summary>
    public ModelSessionOptions? Session { get; init; }
}
