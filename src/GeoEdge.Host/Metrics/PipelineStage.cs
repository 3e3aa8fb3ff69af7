namespace GeoEdge.Host.Metrics;

/// <summary>A timed stage of a pipeline, the <c>stage</c> label of the latency histograms.</summary>
public enum PipelineStage
{
    Guards,
    Outlier,
    Sample,
    Normalize,
    Knn,
    Window,
    Encode,
    Run,
    Postprocess,
    Total,
}

/// <summary>The stage names as they appear in the exposition (lower case, stable: dashboards query them).</summary>
internal static class PipelineStageNames
{
    private static readonly string[] Names = ["guards", "outlier", "sample", "normalize", "knn", "window", "encode", "run", "postprocess", "total"];

    public static string Name(PipelineStage stage) => Names[(int)stage];

    /// <summary>Stages of <see cref="GeoEdge.Inference.Pipelines.PointCloudClassification"/>, in pipeline order.</summary>
    public static readonly PipelineStage[] PointCloud =
        [PipelineStage.Guards, PipelineStage.Outlier, PipelineStage.Sample, PipelineStage.Normalize, PipelineStage.Knn, PipelineStage.Run, PipelineStage.Postprocess, PipelineStage.Total];

    /// <summary>Stages of <see cref="GeoEdge.Inference.Pipelines.SensorGraphAnomaly"/>, in pipeline order.</summary>
    public static readonly PipelineStage[] SensorGraph =
        [PipelineStage.Window, PipelineStage.Encode, PipelineStage.Run, PipelineStage.Postprocess, PipelineStage.Total];
}
