using GeoEdge.Inference.Bundles;
using GeoEdge.ModelTool.Evaluate;

namespace GeoEdge.ModelTool.Cli;

/// <summary>`geoedge-model compare`: evaluates OLD and NEW on the same split and exits 3 when NEW is worse beyond the thresholds.</summary>
/// <remarks>Both bundles must have one task: point-cloud classifiers are gated on accuracy, ECE, OOD AUROC and p99 latency,
/// sensor-graph anomaly bundles on detection, false alarms, mean sensor AUROC, probability ECE, the per-window OOD AUROC (with
/// --ood) and p99 latency.</remarks>
internal static class CompareCommand
{
    private const string Synopsis = "compare OLD NEW --data TEST.npz [--ood OOD.npz] [--robustness off|quick|full] [--max-accuracy-drop 0.01] [--max-ece-rise 0.02] [--max-auroc-drop 0.02] [--max-p99-ratio 1.5] [--max-false-alarm-rise 0.01] [--trusted PUB.pem ... | --allow-unsigned]";

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout)
    {
        VerbArguments a = VerbArguments.Parse(args,
            ["--data", "--ood", "--robustness", "--max-accuracy-drop", "--max-ece-rise", "--max-auroc-drop", "--max-p99-ratio", "--max-false-alarm-rise", "--trusted"], ["--allow-unsigned"]);
        a.ExpectPositional(2, Synopsis);
        string data = a.Required("--data", "TEST.npz");
        var limits = new GateThresholds(
            Number(a, "--max-accuracy-drop", 0.01), Number(a, "--max-ece-rise", 0.02), Number(a, "--max-auroc-drop", 0.02), Number(a, "--max-p99-ratio", 1.5),
            Number(a, "--max-false-alarm-rise", 0.01));
        CommandLine.QuietOnnxRuntime();
        using ModelBundle oldBundle = BundleArguments.Open(a.Positional[0], a);
        using ModelBundle newBundle = BundleArguments.Open(a.Positional[1], a);
        if (oldBundle.Manifest.Task != newBundle.Manifest.Task)
        {
            throw new UsageException($"OLD is a {oldBundle.Manifest.Task} bundle, NEW a {newBundle.Manifest.Task} bundle: compare needs two bundles of one task");
        }

        List<GateCheck> checks = oldBundle.Manifest.Task == BundleTasks.SensorGraphAnomaly
            ? CompareSensors(oldBundle, newBundle, data, a, limits, stdout)
            : CompareClassifiers(oldBundle, newBundle, data, a, limits, stdout);
        foreach (GateCheck c in checks)
        {
            stdout.WriteLine(RegressionGate.Format(c));
        }

        List<string> failed = [.. checks.Where(c => !c.Passes).Select(c => c.Metric)];
        stdout.WriteLine(failed.Count == 0 ? "gate: pass" : $"gate: FAIL ({string.Join(", ", failed)})");
        return failed.Count == 0 ? CommandLine.Ok : CommandLine.Regression;
    }

    private static List<GateCheck> CompareClassifiers(ModelBundle oldBundle, ModelBundle newBundle, string data, VerbArguments a, GateThresholds limits, TextWriter stdout)
    {
        RobustnessDepth depth = a.Single("--robustness") is null ? RobustnessDepth.Off : EvaluateCommand.ParseDepth(a.Single("--robustness"));
        EvaluationReport old = ClassifierEvaluation.Run(oldBundle, data, a.Single("--ood"), depth);
        stdout.WriteLine("OLD:");
        EvaluateCommand.Print(stdout, old);
        EvaluationReport @new = ClassifierEvaluation.Run(newBundle, data, a.Single("--ood"), depth);
        stdout.WriteLine("NEW:");
        EvaluateCommand.Print(stdout, @new);
        return RegressionGate.Check(old, @new, limits);
    }

    private static List<GateCheck> CompareSensors(ModelBundle oldBundle, ModelBundle newBundle, string data, VerbArguments a, GateThresholds limits, TextWriter stdout)
    {
        if (a.Single("--robustness") is not null)
        {
            throw new UsageException("--robustness applies to point-cloud classifiers");
        }

        SensorEvaluationReport old = SensorEvaluation.Run(oldBundle, data, a.Single("--ood"));
        stdout.WriteLine("OLD:");
        EvaluateCommand.Print(stdout, old);
        SensorEvaluationReport @new = SensorEvaluation.Run(newBundle, data, a.Single("--ood"));
        stdout.WriteLine("NEW:");
        EvaluateCommand.Print(stdout, @new);
        return RegressionGate.Check(old, @new, limits);
    }

    private static double Number(VerbArguments a, string option, double fallback)
    {
        string? text = a.Single(option);
        return text is null ? fallback
            : double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) && v >= 0 ? v
            : throw new UsageException($"{option} '{text}' is not a non-negative number");
    }
}
