using System.Text.Json;
using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;
using GeoEdge.ModelTool.Calibrate;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>Evaluates a sensor-graph anomaly bundle on a recorded split through the device pipeline (SensorGraphAnomaly, its manifest thresholds): detection and false-alarm rates per anomaly kind, latency.</summary>
/// <remarks>The split is a <see cref="SensorSplit"/>; <see cref="Epoch"/> is the recipe's 2024-01-01T00:00 local, written here
/// as UTC (the offset the time-of-day features are computed in). Besides the rates at the manifest's thresholds it
/// measures the threshold-free AUROCs (<see cref="SensorQuality"/>) and, for a calibrated bundle, the anomaly probability's ECE.</remarks>
internal static class SensorEvaluation
{
    public static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <param name="oodPath">An OOD set (<see cref="SensorOodSet"/>) to measure the per-window OOD score on; null for none.</param>
    public static SensorEvaluationReport Run(ModelBundle bundle, string dataPath, string? oodPath = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        SensorSplit split = SensorSplit.Load(dataPath);
        SensorScoring run = SensorScoring.Run(bundle, split);
        int s = split.Sensors;
        List<KindRates> kinds = AnomalyTally.Count(split.Kind, run.Flagged, s, KindNames(bundle.Manifest, split.Kind));
        int faulty = kinds.Sum(static k => k.Faulty);
        int normal = 0, alarms = 0;
        for (int i = 0; i < split.Kind.Length; i++)
        {
            normal += split.Kind[i] == 0 ? 1 : 0;
            alarms += split.Kind[i] == 0 && run.Flagged[i] ? 1 : 0;
        }

        bool[] labels = split.Labels();
        (double meanAuroc, int aurocSensors) = SensorQuality.MeanSensorAuroc(run.Scores, labels, s);
        return new SensorEvaluationReport
        {
            Bundle = bundle.Manifest.Name,
            Version = bundle.Manifest.Version,
            ManifestSha256 = bundle.ManifestSha256,
            Data = Path.GetFileName(dataPath),
            Windows = split.Windows,
            SensorWindows = split.Windows * s,
            Faulty = faulty,
            Detected = kinds.Sum(static k => k.Detected),
            DetectionRate = faulty == 0 ? 0 : (double)kinds.Sum(static k => k.Detected) / faulty,
            Normal = normal,
            FalseAlarms = alarms,
            FalseAlarmRate = normal == 0 ? 0 : (double)alarms / normal,
            MeanSensorAuroc = meanAuroc,
            AurocSensors = aurocSensors,
            MarginAuroc = SensorQuality.MarginAuroc(run.Scores, run.Thresholds, labels),
            Probability = Probability(AnomalyProbability.Read(bundle.Manifest), run.Scores, labels),
            Kinds = [.. kinds.Select(static k => new KindRatesJson(k.Kind, k.Faulty, k.Detected, k.DetectionRate, k.Normal, k.FalseAlarms, k.FalseAlarmRate))],
            Latency = new LatencySummary(
                ClassifierEvaluation.Percentile(run.RunUs, 0.5), ClassifierEvaluation.Percentile(run.RunUs, 0.99),
                ClassifierEvaluation.Percentile(run.TotalUs, 0.5), ClassifierEvaluation.Percentile(run.TotalUs, 0.99), 1),
            Ood = oodPath is null ? null : SensorOodEvaluation.Run(bundle, split, oodPath),
        };
    }

    /// <summary>Calibration of the manifest's anomaly probability on the split; null for an uncalibrated bundle.</summary>
    private static SensorProbabilityJson? Probability(AnomalyProbability? fit, double[] scores, bool[] labels)
    {
        if (fit is null)
        {
            return null;
        }

        double[] p = BinaryCalibrationMetrics.Probabilities(scores, fit.Scale, fit.Bias);
        double[] raw = BinaryCalibrationMetrics.Probabilities(scores, 1, 0);
        return new SensorProbabilityJson(fit.Scale, fit.Bias, fit.FittedOn,
            BinaryCalibrationMetrics.Ece(p, labels), BinaryCalibrationMetrics.Brier(p, labels), PlattScaling.Nll(scores, labels, fit.Scale, fit.Bias),
            BinaryCalibrationMetrics.Ece(raw, labels), [.. BinaryCalibrationMetrics.Reliability(p, labels)]);
    }

    /// <summary>The manifest dataset card's anomalyKinds, else "normal", "kind1", ... up to the largest kind in the split.</summary>
    private static List<string> KindNames(BundleManifest m, ReadOnlySpan<long> kind)
    {
        if (m.Dataset.Extensions?.TryGetValue("anomalyKinds", out JsonElement names) == true && names.ValueKind == JsonValueKind.Array)
        {
            return [.. names.EnumerateArray().Select(static e => e.GetString() ?? "?")];
        }

        long max = 0;
        foreach (long k in kind)
        {
            max = Math.Max(max, k);
        }

        return ["normal", .. Enumerable.Range(1, (int)max).Select(static k => $"kind{k}")];
    }
}
