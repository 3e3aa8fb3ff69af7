using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.ModelTool.Calibrate;
using GeoEdge.ModelTool.Evaluate;

namespace GeoEdge.ModelTool.Cli;

/// <summary>`geoedge-model calibrate`: fits temperature, energy OOD threshold, Mahalanobis statistics and the drift reference
/// on a validation split and re-signs the bundle with them (a sensor-graph bundle: anomaly probability, thresholds, drift and the per-window OOD threshold; see SensorCalibrateCommand).</summary>
internal static class CalibrateCommand
{
    private const string Synopsis = "calibrate BUNDLE --validation VAL.npz [--ood OOD.npz] [--score energy|mahalanobis|drift-max|drift-rms|auto] [--objective nll|ece] [--drift-only] "
        + "[--false-alarm-rate RATE | --keep-thresholds] --out OUTBUNDLE --key KEY.pem [--trusted PUB.pem ... | --allow-unsigned]";

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout, TimeProvider time)
    {
        VerbArguments a = VerbArguments.Parse(args, ["--validation", "--ood", "--score", "--objective", "--out", "--key", "--trusted", "--false-alarm-rate"], ["--allow-unsigned", "--drift-only", "--keep-thresholds"]);
        a.ExpectPositional(1, Synopsis);
        string validationPath = a.Required("--validation", "VAL.npz");
        string output = a.Required("--out", "OUTBUNDLE");
        string keyPath = a.Required("--key", "KEY.pem");
        string? oodPath = a.Single("--ood");
        // auto: the score that separates the OOD split better. The Mahalanobis threshold sits on held-out (5-fold) distances,
        // so it flags about 5% of unseen in-distribution clouds as intended (1.25% of shapes-dgcnn's test split).
        string score = a.Single("--score") ?? "auto";
        using ECDsa key = BundleSigningKey.LoadPem(keyPath);
        CommandLine.QuietOnnxRuntime();
        using ModelBundle bundle = BundleArguments.Open(a.Positional[0], a, key);
        if (a.Single("--objective") is not null && (a.Has("--drift-only") || bundle.Manifest.Task == BundleTasks.SensorGraphAnomaly))
        {
            throw new UsageException("--objective chooses what a point-cloud classifier's temperature minimises; --drift-only and sensor-graph bundles fit no temperature");
        }

        if (a.Has("--drift-only"))
        {
            return RunDriftOnly(bundle, validationPath, oodPath, output, key, stdout, time);
        }

        if (bundle.Manifest.Task == BundleTasks.SensorGraphAnomaly)
        {
            return SensorCalibrateCommand.Run(bundle, validationPath, a, key, output, stdout, time);
        }

        if (a.Single("--false-alarm-rate") is not null || a.Has("--keep-thresholds"))
        {
            throw new UsageException("--false-alarm-rate and --keep-thresholds apply to sensor-graph-anomaly bundles (per-sensor alarm thresholds)");
        }

        TemperatureObjective objective = a.Single("--objective") switch
        {
            null or "nll" => TemperatureObjective.Nll,
            "ece" => TemperatureObjective.Ece,
            string other => throw new UsageException($"unknown --objective '{other}' (nll, ece)"),
        };
        if (score is not ("auto" or "energy" or "mahalanobis"))
        {
            throw new UsageException($"unknown --score '{score}' (auto, energy, mahalanobis)");
        }

        CalibrationResult r;
        DriftReference drift;
        using (var runner = new CloudRunner(bundle))
        {
            CloudDataset validation = CloudDataset.Load(validationPath);
            validation.RequireLabels(runner.Classes);
            CloudOutput[] val = [.. validation.Clouds.Select(c => runner.Run(c))];
            CloudOutput[]? ood = oodPath is null ? null : [.. CloudDataset.Load(oodPath).Clouds.Select(c => runner.Run(c))];
            r = ClassifierCalibration.Fit(val, validation.Labels, runner.Classes, ood, objective);
            drift = DriftReferenceFit.Fit(CloudDriftFeatures.Names, [.. val.Select(static o => Features(o.Input))]);
        }

        string chosen = Choose(score, r);
        // The precision matrix travels as a bundle file (hashed in files, so signed), staged here until packed.
        string staging = Directory.CreateTempSubdirectory("geoedge-model-calibrate-").FullName;
        PackedBundle packed;
        try
        {
            string[] added = r.Mahalanobis is { } fit ? [PrecisionFile.Write(staging, fit.Precision)] : [];
            string[] dropped = bundle.Manifest.Ood?.PrecisionFile is { } previous ? [previous] : [];
            packed = BundleRewriter.Rewrite(bundle, manifest =>
            {
                Apply(manifest, r, chosen);
                manifest["drift"] = DriftReferenceFit.ToJson(drift);
                Datasets.DatasetCardEditor.AddSplits(manifest, [new Datasets.DatasetSplit("validation", validationPath)]);
                if (oodPath is not null)
                {
                    Datasets.DatasetCardEditor.AddSplits(manifest, [new Datasets.DatasetSplit("ood", oodPath)], classBalance: false);
                }
            }, key, output, time, files: added, dropped: dropped);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }

        Print(stdout, r, objective);
        PrintDrift(stdout, drift);
        stdout.WriteLine($"ood score written: {chosen}");
        stdout.WriteLine($"wrote {packed.Path} (manifest sha256 {packed.ManifestSha256}, signed by {packed.KeyId})");
        return CommandLine.Ok;
    }

    /// <summary>Only the drift reference of the validation inputs (--drift-only): a sensor-graph bundle keeps its probability and thresholds,
    /// a classifier its other sections (its split needs no labels).</summary>
    private static int RunDriftOnly(ModelBundle bundle, string validationPath, string? oodPath, string output, ECDsa key, TextWriter stdout, TimeProvider time)
    {
        if (oodPath is not null)
        {
            throw new UsageException("--ood fits the OOD threshold, which --drift-only leaves alone");
        }

        DriftReference drift;
        bool labelled = true;
        if (bundle.Manifest.Task == BundleTasks.SensorGraphAnomaly)
        {
            drift = SensorDriftCalibration.Fit(bundle, SensorSplit.LoadUnlabelled(validationPath));
        }
        else
        {
            using var runner = new CloudRunner(bundle);
            CloudDataset validation = CloudDataset.Load(validationPath);
            labelled = validation.Labels.All(static l => l >= 0);
            drift = DriftReferenceFit.Fit(CloudDriftFeatures.Names, [.. validation.Clouds.Select(c => Features(runner.Run(c).Input))]);
        }

        PackedBundle packed = BundleRewriter.Rewrite(bundle, manifest =>
        {
            manifest["drift"] = DriftReferenceFit.ToJson(drift);
            Datasets.DatasetCardEditor.AddSplits(manifest, [new Datasets.DatasetSplit("validation", validationPath)], classBalance: labelled);
        }, key, output, time);
        PrintDrift(stdout, drift);
        stdout.WriteLine($"wrote {packed.Path} (manifest sha256 {packed.ManifestSha256}, signed by {packed.KeyId})");
        return CommandLine.Ok;
    }

    private static void PrintDrift(TextWriter stdout, DriftReference drift) =>
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"drift reference: {drift.Features.Count} features over {drift.Samples} samples"));

    private static double[] Features(CloudDriftFeatures input)
    {
        var row = new double[CloudDriftFeatures.Count];
        input.CopyTo(row);
        return row;
    }

    /// <summary>auto: the score with the higher AUROC on the OOD split (energy when there is no OOD split or no embedding).</summary>
    private static string Choose(string score, CalibrationResult r)
    {
        if (score == "mahalanobis" && r.Mahalanobis is null)
        {
            throw new UsageException("--score mahalanobis needs a model with an 'embedding' output");
        }

        return score != "auto" ? score
            : r.Ood is { MahalanobisAuroc: double m } o && m > o.EnergyAuroc ? "mahalanobis"
            : "energy";
    }

    private static void Apply(JsonObject manifest, CalibrationResult r, string score)
    {
        manifest["calibration"] = new JsonObject { ["temperature"] = r.Temperature };
        double threshold = score == "mahalanobis" ? r.MahalanobisThreshold!.Value : r.EnergyThreshold;
        var ood = new JsonObject { ["score"] = score, ["threshold"] = threshold };
        if (r.Mahalanobis is { } m)
        {
            ood["classMeans"] = BundleRewriter.Matrix(m.Means);
            ood["precisionFile"] = PrecisionFile.Name;
        }

        manifest["ood"] = ood;
    }

    private static void Print(TextWriter stdout, CalibrationResult r, TemperatureObjective objective)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(c, $"validation:  {r.Samples} clouds, accuracy {r.Accuracy:0.0000}"));
        stdout.WriteLine(string.Create(c, $"temperature: {r.Temperature:0.000000} (min {(objective == TemperatureObjective.Ece ? "ECE" : "NLL")})"));
        stdout.WriteLine(string.Create(c, $"nll:         {r.NllBefore:0.0000} -> {r.NllAfter:0.0000}"));
        stdout.WriteLine(string.Create(c, $"ece (15):    {r.EceBefore:0.0000} -> {r.EceAfter:0.0000}"));
        stdout.WriteLine(string.Create(c, $"brier:       {r.BrierBefore:0.0000} -> {r.BrierAfter:0.0000}"));
        stdout.WriteLine(string.Create(c, $"energy threshold (95% in-distribution recall): {r.EnergyThreshold:0.000000}"));
        if (r.MahalanobisThreshold is double mt)
        {
            stdout.WriteLine(string.Create(c, $"mahalanobis threshold (95% in-distribution recall): {mt:0.000000}"));
        }

        if (r.Ood is { } o)
        {
            stdout.WriteLine(string.Create(c, $"ood ({o.Samples} clouds): energy AUROC {o.EnergyAuroc:0.0000}, FPR@95 {o.EnergyFpr95:0.0000}"));
            if (o.MahalanobisAuroc is double ma)
            {
                stdout.WriteLine(string.Create(c, $"ood ({o.Samples} clouds): mahalanobis AUROC {ma:0.0000}, FPR@95 {o.MahalanobisFpr95:0.0000}"));
            }
        }
    }
}
