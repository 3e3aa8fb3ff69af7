using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Runtime;
using GeoEdge.ModelTool.Evaluate;

namespace GeoEdge.ModelTool.Calibrate;

/// <summary>The drift reference of a sensor-graph bundle: every window of a split scored through the device pipeline
/// (SensorGraphAnomaly, so out-of-range samples count as missing exactly as on the device) and its SensorDriftFeatures summarised.</summary>
internal static class SensorDriftCalibration
{
    public static DriftReference Fit(ModelBundle bundle, SensorSplit split)
    {
        (string[] names, double[][] rows) = Features(bundle, split);
        return DriftReferenceFit.Fit(names, rows);
    }

    /// <summary>The feature names and, per window of <paramref name="split"/>, its SensorDriftFeatures as the device measures them.</summary>
    public static (string[] Names, double[][] Rows) Features(ModelBundle bundle, SensorSplit split)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(split);
        var options = new SensorGraphAnomalyOptions { Session = new ModelSessionOptions { IntraOpThreads = 1, MaxConcurrency = 1, WarmupRuns = 0 } };
        using var pipeline = new SensorGraphAnomaly(bundle, options);
        if (pipeline.SensorCount != split.Sensors || pipeline.Window != split.Samples)
        {
            throw new FormatException($"{split.Path}: windows of {split.Sensors} sensors x {split.Samples} samples; the model takes {pipeline.SensorCount} x {pipeline.Window}");
        }

        var names = new string[pipeline.SensorCount];
        for (int s = 0; s < names.Length; s++)
        {
            names[s] = pipeline.SensorName(s);
        }

        var rows = new double[split.Windows][];
        for (int w = 0; w < split.Windows; w++)
        {
            PipelineResult<SensorWindowScores> r = pipeline.ScoreWindow(split.Window(w), split.StartTime(w));
            SensorWindowScores scores = r.Value ?? throw new FormatException($"{split.Path}: window {w} rejected by the pipeline: {r.Rejection}");
            rows[w] = new double[SensorDriftFeatures.Count(names.Length)];
            SensorDriftFeatures.Measure(scores.Sensors, pipeline.Window, rows[w]);
        }

        return (SensorDriftFeatures.Names(names), rows);
    }
}
