using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.ModelTool.Calibrate;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>One OOD kind's separation from the evaluated split.</summary>
/// <param name="FlaggedAtManifestThreshold">Fraction of the kind's windows above the manifest's threshold; null without one.</param>
internal sealed record SensorOodKindJson(string Kind, int Windows, double Auroc, double Fpr95, double? FlaggedAtManifestThreshold);

/// <summary>The per-window OOD score on the evaluated split (in distribution) against an OOD set, overall and per OOD kind.</summary>
/// <param name="Score">The manifest's ood.score (drift-max when the bundle has no ood section).</param>
/// <param name="Fpr95">Fraction of OOD windows at or below the threshold that keeps 95 % of the evaluated split's windows.</param>
/// <param name="TestFlaggedAtManifestThreshold">Fraction of the evaluated split's windows above the manifest's threshold (about 5 % when it generalises).</param>
internal sealed record SensorOodJson(
    string Data,
    int Windows,
    string Score,
    double? ManifestThreshold,
    double Auroc,
    double Fpr95,
    double? TestFlaggedAtManifestThreshold,
    double? FlaggedAtManifestThreshold,
    double DriftMaxAuroc,
    double DriftMaxFpr95,
    double DriftRmsAuroc,
    double DriftRmsFpr95,
    IReadOnlyList<SensorOodKindJson> Kinds);

/// <summary>Evaluates a sensor bundle's per-window OOD score (SensorOodScore over the device pipeline's window features against the manifest's drift reference).</summary>
internal static class SensorOodEvaluation
{
    public static SensorOodJson Run(ModelBundle bundle, SensorSplit test, string oodPath)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        DriftReference reference = bundle.Manifest.Drift
            ?? throw new FormatException($"{bundle.Source}: no drift section; the sensor OOD score standardizes against it (run calibrate first)");
        SensorOodSet ood = SensorOodSet.Load(oodPath);
        (string[] names, double[][] idRows) = SensorDriftCalibration.Features(bundle, test);
        (_, double[][] oodRows) = SensorDriftCalibration.Features(bundle, ood.Split);
        string score = bundle.Manifest.Ood?.Score ?? SensorOodScore.DriftMax;
        double? threshold = bundle.Manifest.Ood?.Threshold;
        var id = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var outside = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (string s in (ReadOnlySpan<string>)[SensorOodScore.DriftMax, SensorOodScore.DriftRms])
        {
            id[s] = SensorOodCalibration.Scores(s, reference, names, idRows);
            outside[s] = SensorOodCalibration.Scores(s, reference, names, oodRows);
        }

        double[] inScores = id[score], oodScores = outside[score];
        var kinds = new List<SensorOodKindJson>();
        for (int k = 0; k < ood.KindNames.Count; k++)
        {
            double[] of = [.. oodScores.Where((_, i) => ood.Kind[i] == k)];
            if (of.Length > 0)
            {
                kinds.Add(new SensorOodKindJson(ood.KindNames[k], of.Length, OodMetrics.Auroc(inScores, of), OodMetrics.FprAtRecall(inScores, of), Above(of, threshold)));
            }
        }

        return new SensorOodJson(
            Path.GetFileName(oodPath), oodScores.Length, score, threshold,
            OodMetrics.Auroc(inScores, oodScores), OodMetrics.FprAtRecall(inScores, oodScores), Above(inScores, threshold), Above(oodScores, threshold),
            OodMetrics.Auroc(id[SensorOodScore.DriftMax], outside[SensorOodScore.DriftMax]), OodMetrics.FprAtRecall(id[SensorOodScore.DriftMax], outside[SensorOodScore.DriftMax]),
            OodMetrics.Auroc(id[SensorOodScore.DriftRms], outside[SensorOodScore.DriftRms]), OodMetrics.FprAtRecall(id[SensorOodScore.DriftRms], outside[SensorOodScore.DriftRms]),
            kinds);
    }

    private static double? Above(double[] scores, double? threshold) =>
        threshold is double t ? (double)scores.Count(s => s > t) / scores.Length : null;
}
