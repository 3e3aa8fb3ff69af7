using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Runtime;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>Every window of a split scored through the device pipeline (SensorGraphAnomaly, 1 intra-op thread): logits, thresholds, alarms and per-window latencies.</summary>
/// <param name="Scores">The model's logit per sensor-window, row-major [window, sensor].</param>
/// <param name="Thresholds">The manifest's threshold per sensor.</param>
/// <param name="Flagged">Logit above its sensor's threshold, [window, sensor].</param>
internal sealed record SensorScoring(double[] Scores, double[] Thresholds, bool[] Flagged, double[] RunUs, double[] TotalUs)
{
    public static SensorScoring Run(ModelBundle bundle, SensorSplit split)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(split);
        var options = new SensorGraphAnomalyOptions { Session = new ModelSessionOptions { IntraOpThreads = 1, MaxConcurrency = 1, WarmupRuns = 3 } };
        using var pipeline = new SensorGraphAnomaly(bundle, options);
        (int m, int s, int t) = (split.Windows, split.Sensors, split.Samples);
        if (pipeline.SensorCount != s || pipeline.Window != t)
        {
            throw new FormatException($"{split.Path}: windows of {s} sensors x {t} samples; the model takes {pipeline.SensorCount} x {pipeline.Window}");
        }

        var scores = new double[m * s];
        var thresholds = new double[s];
        var flagged = new bool[m * s];
        var runUs = new double[m];
        var totalUs = new double[m];
        for (int w = 0; w < m; w++)
        {
            PipelineResult<SensorWindowScores> r = pipeline.ScoreWindow(split.Window(w), split.StartTime(w));
            SensorWindowScores window = r.Value ?? throw new FormatException($"{split.Path}: window {w} rejected by the pipeline: {r.Rejection}");
            foreach (SensorScore score in window.Sensors)
            {
                scores[(w * s) + score.Index] = score.Score;
                flagged[(w * s) + score.Index] = score.IsAnomalous;
                thresholds[score.Index] = score.Threshold;
            }

            (runUs[w], totalUs[w]) = (window.Timings.RunUs, window.Timings.TotalUs);
        }

        return new SensorScoring(scores, thresholds, flagged, runUs, totalUs);
    }
}
