using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.ModelTool.Calibrate;
using GeoEdge.ModelTool.Datasets;
using GeoEdge.ModelTool.Evaluate;

namespace GeoEdge.ModelTool.Cli;

/// <summary>`geoedge-model calibrate` on a sensor-graph anomaly bundle: Platt-scaled anomaly probability, per-sensor alarm thresholds at a false-alarm rate,
/// the input drift reference and the per-window OOD threshold (95 % validation recall), fitted on the validation split and signed into the manifest.</summary>
/// <remarks>The target rate is --false-alarm-rate, else the manifest's preprocessing.thresholds.targetFalseAlarmRate;
/// --keep-thresholds keeps the manifest's thresholds (fitted elsewhere, e.g. by the recipe on a larger validation set)
/// and only fits the probability. --ood OOD.npz (a SensorOodSet) measures drift-max and drift-rms against it and writes the
/// better (or --score's); without it drift-max is written.</remarks>
internal static class SensorCalibrateCommand
{
    public static int Run(ModelBundle bundle, string validationPath, VerbArguments a, ECDsa key, string output, TextWriter stdout, TimeProvider time)
    {
        string? score = a.Single("--score") is null or "auto" ? null : a.Single("--score");
        if (score is not null && !SensorOodScore.IsKnown(score))
        {
            throw new UsageException($"--score '{score}' is not a sensor OOD score (auto, {SensorOodScore.DriftMax}, {SensorOodScore.DriftRms})");
        }

        double? rate = TargetRate(bundle.Manifest, a);
        SensorSplit split = SensorSplit.Load(validationPath);
        SensorScoring run = SensorScoring.Run(bundle, split);
        SensorCalibrationResult r = SensorCalibration.Fit(run.Scores, split.Labels(), split.Sensors, run.Thresholds, rate);
        string name = Path.GetFileName(validationPath);
        (string[] features, double[][] rows) = SensorDriftCalibration.Features(bundle, split);
        DriftReference drift = DriftReferenceFit.Fit(features, rows);
        string? oodPath = a.Single("--ood");
        double[][]? oodRows = oodPath is null ? null : SensorDriftCalibration.Features(bundle, SensorOodSet.Load(oodPath).Split).Rows;
        SensorOodFit ood = SensorOodCalibration.Fit(drift, features, rows, oodRows, score);
        PackedBundle packed = BundleRewriter.Rewrite(bundle, manifest =>
        {
            Apply(manifest, r, name);
            manifest["drift"] = DriftReferenceFit.ToJson(drift);
            manifest["ood"] = new JsonObject { ["score"] = ood.Score, ["threshold"] = ood.Threshold };
            DatasetCardEditor.AddSplits(manifest, [new DatasetSplit("validation", validationPath)]);
            if (oodPath is not null)
            {
                DatasetCardEditor.AddSplits(manifest, [new DatasetSplit("ood", oodPath)], classBalance: false);
            }
        }, key, output, time);
        Print(stdout, r, name);
        PrintOod(stdout, ood);
        stdout.WriteLine($"wrote {packed.Path} (manifest sha256 {packed.ManifestSha256}, signed by {packed.KeyId})");
        return CommandLine.Ok;
    }

    private static double? TargetRate(BundleManifest manifest, VerbArguments a)
    {
        string? text = a.Single("--false-alarm-rate");
        if (a.Has("--keep-thresholds"))
        {
            return text is null ? null : throw new UsageException("give --false-alarm-rate or --keep-thresholds, not both");
        }

        if (text is not null)
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v is > 0 and < 1
                ? v
                : throw new UsageException($"--false-alarm-rate '{text}' is not a number in (0, 1)");
        }

        if (manifest.Preprocessing?.Extensions?.TryGetValue("thresholds", out JsonElement t) == true && t.ValueKind == JsonValueKind.Object
            && t.TryGetProperty("targetFalseAlarmRate", out JsonElement target) && target.ValueKind == JsonValueKind.Number
            && target.GetDouble() is > 0 and < 1)
        {
            return target.GetDouble();
        }

        throw new UsageException("the manifest has no preprocessing.thresholds.targetFalseAlarmRate: give --false-alarm-rate RATE (or --keep-thresholds)");
    }

    private static void Apply(JsonObject manifest, SensorCalibrationResult r, string split)
    {
        JsonObject pre = manifest["preprocessing"] as JsonObject ?? throw new FormatException("$.preprocessing: missing");
        JsonArray sensors = pre["sensors"] as JsonArray ?? throw new FormatException("$.preprocessing.sensors: missing");
        if (sensors.Count != r.Thresholds.Length)
        {
            throw new FormatException($"$.preprocessing.sensors: {sensors.Count} sensors, the model scores {r.Thresholds.Length}");
        }

        for (int s = 0; s < sensors.Count; s++)
        {
            ((JsonObject)sensors[s]!)["threshold"] = r.Thresholds[s];
        }

        JsonObject thresholds = pre["thresholds"] as JsonObject ?? [];
        pre["thresholds"] = thresholds;
        thresholds["kind"] = "per-sensor logit";
        if (r.TargetFalseAlarmRate is { } rate)
        {
            thresholds["targetFalseAlarmRate"] = rate;
            thresholds["chosenOn"] = $"{split}: the smallest normal logit of each sensor with at least 1 - rate of its normal sensor-windows at or below it";
        }

        thresholds["validationFalseAlarmRate"] = r.FalseAlarmRate;
        thresholds["validationDetectionRate"] = r.DetectionRate;
        pre[AnomalyProbability.Field] = new AnomalyProbability(r.Scale, r.Bias, split).ToJson();
    }

    private static void PrintOod(TextWriter stdout, SensorOodFit ood)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(c, $"ood:         {ood.Score} > {ood.Threshold:0.######} (95% of {ood.Validation} validation windows at or below; drift-max {ood.DriftMaxThreshold:0.######}, drift-rms {ood.DriftRmsThreshold:0.######})"));
        if (ood.Separation is { } s)
        {
            stdout.WriteLine(string.Create(c, $"ood set ({s.Windows} windows): drift-max AUROC {s.DriftMaxAuroc:0.0000} FPR@95 {s.DriftMaxFpr95:0.0000}; drift-rms AUROC {s.DriftRmsAuroc:0.0000} FPR@95 {s.DriftRmsFpr95:0.0000}"));
        }
    }

    private static void Print(TextWriter stdout, SensorCalibrationResult r, string split)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(c, $"validation:  {split}, {r.SensorWindows} sensor-windows, {r.Faulty} faulty"));
        stdout.WriteLine(string.Create(c, $"probability: sigmoid({r.Scale:0.######} * z + {r.Bias:0.######})"));
        stdout.WriteLine(string.Create(c, $"nll:         {r.NllBefore:0.0000} -> {r.NllAfter:0.0000}"));
        stdout.WriteLine(string.Create(c, $"ece (15):    {r.EceBefore:0.0000} -> {r.EceAfter:0.0000}"));
        stdout.WriteLine(string.Create(c, $"brier:       {r.BrierBefore:0.0000} -> {r.BrierAfter:0.0000}"));
        stdout.WriteLine(r.TargetFalseAlarmRate is { } rate
            ? string.Create(c, $"thresholds:  fitted per sensor at false-alarm rate {rate:0.####}")
            : "thresholds:  kept from the manifest");
        stdout.WriteLine(string.Create(c, $"on {split}: detection {r.DetectionRate:0.0000}, false alarms {r.FalseAlarmRate:0.0000}"));
    }
}
