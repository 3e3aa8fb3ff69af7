using GeoEdge.Inference.Runtime;

namespace GeoEdge.Inference.Pipelines;

/// <summary>How a <see cref="PointCloudClassification"/> runs: its ONNX Runtime session, how many classes it reports and the threads preprocessing may use.</summary>
public sealed class PointCloudClassificationOptions
{
    /// <summary>Providers, threads and concurrency of the session; the pipeline sets the input shapes (one cloud of the manifest's size).</summary>
    public ModelSessionOptions? Session { get; init; }

    /// <summary>Classes listed in <see cref="CloudClassification.TopK"/>.</summary>
    public int TopK { get; init; } = 5;

    /// <summary>Threads the kNN search and outlier removal may use; results are the same for any value.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
}
