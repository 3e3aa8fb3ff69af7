using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GeoEdge.Inference.Bundles;
using GeoEdge.ModelTool.Calibrate;
using GeoEdge.ModelTool.Datasets;
using GeoEdge.ModelTool.Evaluate;

namespace GeoEdge.ModelTool.Cli;

/// <summary>`geoedge-model evaluate`: accuracy, recall, calibration, latency, OOD and robustness of a classifier bundle on a test split.</summary>
internal static class EvaluateCommand
{
    private const string Synopsis = "evaluate BUNDLE --data TEST.npz [--train TRAIN.npz] [--ood OOD.npz] [--adversarial ADV.npz] [--out DIR] [--robustness full|quick|off] [--write-manifest OUTBUNDLE --key KEY.pem] [--trusted PUB.pem ... | --allow-unsigned]";

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        VerbArguments a = VerbArguments.Parse(args, ["--data", "--train", "--ood", "--adversarial", "--out", "--robustness", "--write-manifest", "--key", "--trusted"], ["--allow-unsigned"]);
        a.ExpectPositional(1, Synopsis);
        string data = a.Required("--data", "TEST.npz");
        string? manifestOut = a.Single("--write-manifest");
        string? keyPath = a.Single("--key");
        if ((manifestOut is null) != (keyPath is null))
        {
            throw new UsageException("--write-manifest OUTBUNDLE and --key KEY.pem go together");
        }

        RobustnessDepth depth = ParseDepth(a.Single("--robustness"));
        using ECDsa? key = keyPath is null ? null : BundleSigningKey.LoadPem(keyPath);
        CommandLine.QuietOnnxRuntime();
        using ModelBundle bundle = BundleArguments.Open(a.Positional[0], a, key);
        int? nearDuplicates = SplitGovernance.Check(bundle.Manifest.Dataset, data, a.Single("--train"), stderr);
        if (bundle.Manifest.Task == BundleTasks.SensorGraphAnomaly)
        {
            return Sensors(bundle, data, a, key, stdout, time);
        }

        EvaluationReport r = ClassifierEvaluation.Run(bundle, data, a.Single("--ood"), depth, a.Single("--adversarial")) with { NearDuplicatesOfTraining = nearDuplicates };
        Print(stdout, r);
        if (a.Single("--out") is { } dir)
        {
            foreach (string path in ReportWriter.Write(r, dir))
            {
                stdout.WriteLine($"wrote {path}");
            }
        }

        if (manifestOut is not null)
        {
            PackedBundle packed = BundleRewriter.Rewrite(bundle, m =>
            {
                m["evaluation"] = Summary(r);
                DatasetCardEditor.AddSplits(m, [new DatasetSplit("test", data)]);
            }, key!, manifestOut, time);
            stdout.WriteLine($"wrote {packed.Path} (evaluation section; manifest sha256 {packed.ManifestSha256}, signed by {packed.KeyId})");
        }

        return CommandLine.Ok;
    }

    /// <summary>A sensor-graph anomaly evaluation on the console: rates overall and per kind, AUROC, probability calibration, latency.</summary>
    internal static void Print(TextWriter stdout, SensorEvaluationReport r)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(c, $"{r.Bundle} {r.Version} on {r.Data} ({r.Windows} windows, {r.SensorWindows} sensor-windows)"));
        stdout.WriteLine(string.Create(c, $"detection {r.DetectionRate:0.0000} ({r.Detected}/{r.Faulty})  false alarms {r.FalseAlarmRate:0.0000} ({r.FalseAlarms}/{r.Normal})"));
        foreach (KindRatesJson k in r.Kinds)
        {
            stdout.WriteLine(string.Create(c, $"kind {k.Kind}: detected {k.Detected}/{k.Faulty} ({k.DetectionRate:0.0000}), false alarms {k.FalseAlarms}/{k.Normal} ({k.FalseAlarmRate:0.0000})"));
        }

        stdout.WriteLine(string.Create(c, $"auroc of the logit, mean over {r.AurocSensors} sensors {r.MeanSensorAuroc:0.0000}; of logit - threshold, pooled {r.MarginAuroc:0.0000}"));
        if (r.Probability is { } p)
        {
            stdout.WriteLine(string.Create(c, $"anomaly probability (fitted on {p.FittedOn}): ece {p.Ece:0.0000} (uncalibrated {p.EceUncalibrated:0.0000}) brier {p.Brier:0.0000} nll {p.Nll:0.0000}"));
        }

        stdout.WriteLine(string.Create(c, $"latency run p50 {r.Latency.RunP50Us:0} us p99 {r.Latency.RunP99Us:0} us; end to end p50 {r.Latency.TotalP50Us:0} us p99 {r.Latency.TotalP99Us:0} us"));
        if (r.Ood is { } o)
        {
            stdout.WriteLine(string.Create(c, $"ood {o.Data} ({o.Windows} windows): {o.Score} AUROC {o.Auroc:0.0000} FPR@95 {o.Fpr95:0.0000} (drift-max {o.DriftMaxAuroc:0.0000} / {o.DriftMaxFpr95:0.0000}, drift-rms {o.DriftRmsAuroc:0.0000} / {o.DriftRmsFpr95:0.0000})"));
            foreach (SensorOodKindJson k in o.Kinds)
            {
                stdout.WriteLine(string.Create(c, $"ood kind {k.Kind} ({k.Windows} windows): AUROC {k.Auroc:0.0000} FPR@95 {k.Fpr95:0.0000}"));
            }
        }
    }

    /// <summary>A sensor-graph anomaly bundle: detection and false-alarm rates per anomaly kind with the manifest's thresholds, and with
    /// --ood the per-window OOD score's AUROC per kind.</summary>
    private static int Sensors(ModelBundle bundle, string data, VerbArguments a, ECDsa? key, TextWriter stdout, TimeProvider time)
    {
        if (a.Single("--robustness") is not null || a.Single("--adversarial") is not null)
        {
            throw new UsageException("--adversarial and --robustness apply to point-cloud classifiers; a sensor-graph-anomaly bundle is evaluated per anomaly kind");
        }

        string? oodPath = a.Single("--ood");
        SensorEvaluationReport r = SensorEvaluation.Run(bundle, data, oodPath);
        Print(stdout, r);
        if (a.Single("--out") is { } dir)
        {
            foreach (string path in r.Write(dir))
            {
                stdout.WriteLine($"wrote {path}");
            }
        }

        if (a.Single("--write-manifest") is { } manifestOut)
        {
            var metrics = new JsonObject
            {
                ["detectionRate"] = r.DetectionRate,
                ["falseAlarmRate"] = r.FalseAlarmRate,
                ["meanSensorAuroc"] = r.MeanSensorAuroc,
                ["marginAuroc"] = r.MarginAuroc,
                ["runP50Us"] = Math.Round(r.Latency.RunP50Us, 1),
                ["runP99Us"] = Math.Round(r.Latency.RunP99Us, 1),
            };
            if (r.Probability is { } probability)
            {
                metrics["ece"] = probability.Ece;
                metrics["brier"] = probability.Brier;
            }

            foreach (KindRatesJson k in r.Kinds)
            {
                metrics[k.Faulty > 0 ? $"detectionRate.{k.Kind}" : $"falseAlarmRate.{k.Kind}"] = k.Faulty > 0 ? k.DetectionRate : k.FalseAlarmRate;
            }

            if (r.Ood is { } ood)
            {
                metrics["oodAuroc"] = ood.Auroc;
                metrics["oodFpr95"] = ood.Fpr95;
                foreach (SensorOodKindJson k in ood.Kinds)
                {
                    metrics[$"oodAuroc.{k.Kind}"] = k.Auroc;
                    metrics[$"oodFpr95.{k.Kind}"] = k.Fpr95;
                }
            }

            var summary = new JsonObject { ["metrics"] = metrics, ["split"] = r.Data, ["samples"] = r.Windows };
            PackedBundle packed = BundleRewriter.Rewrite(bundle, m =>
            {
                m["evaluation"] = summary;
                DatasetCardEditor.AddSplits(m, [new DatasetSplit("test", data)]);
                if (oodPath is not null)
                {
                    DatasetCardEditor.AddSplits(m, [new DatasetSplit("ood", oodPath)], classBalance: false);
                }
            }, key!, manifestOut, time);
            stdout.WriteLine($"wrote {packed.Path} (evaluation section; manifest sha256 {packed.ManifestSha256}, signed by {packed.KeyId})");
        }

        return CommandLine.Ok;
    }

    internal static RobustnessDepth ParseDepth(string? value) => value switch
    {
        null or "full" => RobustnessDepth.Full,
        "quick" => RobustnessDepth.Quick,
        "off" => RobustnessDepth.Off,
        _ => throw new UsageException($"unknown --robustness '{value}' (full, quick, off)"),
    };

    internal static void Print(TextWriter stdout, EvaluationReport r)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(c, $"{r.Bundle} {r.Version} on {r.Data} ({r.Samples} samples, T = {r.Temperature:0.######})"));
        stdout.WriteLine(string.Create(c, $"accuracy {r.Accuracy:0.0000}  ece {r.Ece:0.0000}  brier {r.Brier:0.0000}  nll {r.Nll:0.0000}"));
        stdout.WriteLine(string.Create(c, $"latency run p50 {r.Latency.RunP50Us:0} us p99 {r.Latency.RunP99Us:0} us; end to end p50 {r.Latency.TotalP50Us:0} us p99 {r.Latency.TotalP99Us:0} us"));
        if (r.Ood is { } o)
        {
            stdout.WriteLine(string.Create(c, $"ood {o.Data}: {o.Score} AUROC {o.Auroc:0.0000} FPR@95 {o.Fpr95:0.0000} (energy {o.EnergyAuroc:0.0000} / {o.EnergyFpr95:0.0000}{(o.MahalanobisAuroc is double ma ? string.Create(c, $", mahalanobis {ma:0.0000} / {o.MahalanobisFpr95:0.0000}") : string.Empty)})"));
        }

        if (r.Adversarial is { } adv)
        {
            stdout.WriteLine(string.Create(c, $"adversarial {adv.Data} ({adv.Samples} clouds, eps {adv.Epsilon:0.###}, {adv.Steps} steps): accuracy {adv.Accuracy:0.0000}"));
        }

        foreach (RobustnessCurve curve in r.Robustness)
        {
            stdout.WriteLine(string.Create(c, $"robustness {curve.Perturbation}{(curve.OutlierRemoval ? " +SOR" : string.Empty)}: {string.Join(", ", curve.Points.Select(p => string.Create(c, $"{p.Level:0.###} -> {p.Accuracy:0.0000}")))}"));
        }
    }

    private static JsonObject Summary(EvaluationReport r)
    {
        var metrics = new JsonObject
        {
            ["accuracy"] = r.Accuracy,
            ["ece"] = r.Ece,
            ["brier"] = r.Brier,
            ["nll"] = r.Nll,
            ["runP50Us"] = Math.Round(r.Latency.RunP50Us, 1),
            ["runP99Us"] = Math.Round(r.Latency.RunP99Us, 1),
        };
        if (r.Ood is { } o)
        {
            metrics["oodAuroc"] = o.Auroc;
            metrics["oodFpr95"] = o.Fpr95;
            metrics["oodEnergyAuroc"] = o.EnergyAuroc;
        }

        if (r.Adversarial is { } adv)
        {
            metrics["adversarialAccuracy"] = adv.Accuracy;
        }

        foreach (RobustnessCurve c in r.Robustness)
        {
            foreach (RobustnessPoint p in c.Points)
            {
                metrics[string.Create(CultureInfo.InvariantCulture, $"robustness.{c.Perturbation}{(c.OutlierRemoval ? "+sor" : string.Empty)}@{p.Level:0.###}")] = p.Accuracy;
            }
        }

        return new JsonObject { ["metrics"] = metrics, ["split"] = r.Data, ["samples"] = r.Samples };
    }
}
