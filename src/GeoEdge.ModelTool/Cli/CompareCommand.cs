using GeoEdge.Inference.Bundles;
using GeoEdge.ModelTool.Evaluate;

namespace GeoEdge.ModelTool.Cli;

/// <summary>`geoedge-model compare`: evaluates OLD and NEW on the same split and exits 3 when NEW is worse beyond the thresholds.</summary>
internal static class CompareCommand
{
    private const string Synopsis = "compare OLD NEW --data TEST.npz [--ood OOD.npz] [--robustness off|quick|full] [--max-accuracy-drop 0.01] [--max-ece-rise 0.02] [--max-auroc-drop 0.02] [--max-p99-ratio 1.5] [--trusted PUB.pem ... | --allow-unsigned]";

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout)
    {
        VerbArguments a = VerbArguments.Parse(args,
            ["--data", "--ood", "--robustness", "--max-accuracy-drop", "--max-ece-rise", "--max-auroc-drop", "--max-p99-ratio", "--trusted"], ["--allow-unsigned"]);
        a.ExpectPositional(2, Synopsis);
        string data = a.Required("--data", "TEST.npz");
        var limits = new GateThresholds(
            Number(a, "--max-accuracy-drop", 0.01), Number(a, "--max-ece-rise", 0.02), Number(a, "--max-auroc-drop", 0.02), Number(a, "--max-p99-ratio", 1.5));
        RobustnessDepth depth = a.Single("--robustness") is null ? RobustnessDepth.Off : EvaluateCommand.ParseDepth(a.Single("--robustness"));
        CommandLine.QuietOnnxRuntime();
        var reports = new EvaluationReport[2];
        for (int i = 0; i < 2; i++)
        {
            using ModelBundle bundle = BundleArguments.Open(a.Positional[i], a);
            reports[i] = ClassifierEvaluation.Run(bundle, data, a.Single("--ood"), depth);
            stdout.WriteLine(i == 0 ? "OLD:" : "NEW:");
            EvaluateCommand.Print(stdout, reports[i]);
        }

        List<GateCheck> checks = RegressionGate.Check(reports[0], reports[1], limits);
        foreach (GateCheck c in checks)
        {
            stdout.WriteLine(RegressionGate.Format(c));
        }

        List<string> failed = [.. checks.Where(c => !c.Passes).Select(c => c.Metric)];
        stdout.WriteLine(failed.Count == 0 ? "gate: pass" : $"gate: FAIL ({string.Join(", ", failed)})");
        return failed.Count == 0 ? CommandLine.Ok : CommandLine.Regression;
    }

    private static double Number(VerbArguments a, string option, double fallback)
    {
        string? text = a.Single(option);
        return text is null ? fallback
            : double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) && v >= 0 ? v
            : throw new UsageException($"{option} '{text}' is not a non-negative number");
    }
}
