using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;

namespace GeoEdge.ModelTool.Calibrate;

/// <summary>How well each sensor OOD score separates the validation windows from an OOD set (AUROC, FPR at 95 % recall).</summary>
internal sealed record SensorOodSeparation(int Windows, double DriftMaxAuroc, double DriftMaxFpr95, double DriftRmsAuroc, double DriftRmsFpr95);

/// <summary>What `calibrate` fits for a sensor bundle's per-window OOD verdict: the chosen score and its threshold at 95 % in-distribution recall.</summary>
/// <param name="DriftMaxThreshold">drift-max's threshold on the validation windows (both are fitted, one is written).</param>
/// <param name="Separation">Measured when an OOD set was given; null otherwise.</param>
internal sealed record SensorOodFit(string Score, double Threshold, double DriftMaxThreshold, double DriftRmsThreshold, int Validation, SensorOodSeparation? Separation);

/// <summary>Fits the sensor OOD rule: SensorOodScore (the device's code) of every validation window against the drift
/// reference fitted on the same windows, the threshold at 95 % recall of them (OodMetrics.ThresholdAtRecall).</summary>
/// <remarks>The score: the one asked for, else with an OOD set the one with the higher AUROC (drift-max on a tie), else
/// drift-max (the better one on sensor-stgnn's OOD set).</remarks>
internal static class SensorOodCalibration
{
    public static SensorOodFit Fit(DriftReference reference, IReadOnlyList<string> names, IReadOnlyList<double[]> validation, IReadOnlyList<double[]>? ood, string? score)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (score is not null && !SensorOodScore.IsKnown(score))
        {
            throw new ArgumentException($"'{score}' is not a sensor OOD score ({SensorOodScore.DriftMax}, {SensorOodScore.DriftRms})", nameof(score));
        }

        double[] max = Scores(SensorOodScore.DriftMax, reference, names, validation);
        double[] rms = Scores(SensorOodScore.DriftRms, reference, names, validation);
        (double maxThreshold, double rmsThreshold) = (OodMetrics.ThresholdAtRecall(max), OodMetrics.ThresholdAtRecall(rms));
        SensorOodSeparation? separation = null;
        if (ood is { Count: > 0 })
        {
            double[] oodMax = Scores(SensorOodScore.DriftMax, reference, names, ood);
            double[] oodRms = Scores(SensorOodScore.DriftRms, reference, names, ood);
            separation = new SensorOodSeparation(ood.Count,
                OodMetrics.Auroc(max, oodMax), OodMetrics.FprAtRecall(max, oodMax), OodMetrics.Auroc(rms, oodRms), OodMetrics.FprAtRecall(rms, oodRms));
        }

        string chosen = score ?? (separation is { } s && s.DriftRmsAuroc > s.DriftMaxAuroc ? SensorOodScore.DriftRms : SensorOodScore.DriftMax);
        return new SensorOodFit(chosen, chosen == SensorOodScore.DriftMax ? maxThreshold : rmsThreshold, maxThreshold, rmsThreshold, validation.Count, separation);
    }

    /// <summary>Score <paramref name="score"/> of every row (features in <paramref name="names"/> order) against <paramref name="reference"/>.</summary>
    public static double[] Scores(string score, DriftReference reference, IReadOnlyList<string> names, IReadOnlyList<double[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        SensorOodScore ood = SensorOodScore.Create(score, reference, names)
            ?? throw new FormatException("the drift reference names none of the pipeline's features");
        var scores = new double[rows.Count];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = ood.Compute(rows[i]);
        }

        return scores;
    }
}
