using System.Globalization;
using System.Text;
using System.Text.Json;
using GeoEdge.Geometry.IO;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>Writes an evaluation as evaluation.json, report.md, reliability.svg/.png and one robustness-*.svg/.png per perturbation, each atomically.</summary>
internal static class ReportWriter
{
    public static IReadOnlyList<string> Write(EvaluationReport r, string directory)
    {
        ArgumentNullException.ThrowIfNull(r);
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        void Save(string name, string text)
        {
            string path = Path.Combine(directory, name);
            AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(text)));
            written.Add(path);
        }

        Save("evaluation.json", JsonSerializer.Serialize(r, EvaluationJsonContext.Default.EvaluationReport) + "\n");
        Save("reliability.svg", Reliability(r));
        PngCharts.Reliability(r, Path.Combine(directory, "reliability.png"));
        written.Add(Path.Combine(directory, "reliability.png"));
        foreach (IGrouping<string, RobustnessCurve> curves in r.Robustness.GroupBy(c => c.Perturbation))
        {
            Save($"robustness-{curves.Key}.svg", Robustness(r, [.. curves]));
            PngCharts.Robustness(r, [.. curves], Path.Combine(directory, $"robustness-{curves.Key}.png"));
            written.Add(Path.Combine(directory, $"robustness-{curves.Key}.png"));
        }

        Save("report.md", Markdown(r));
        return written;
    }

    public static string Markdown(EvaluationReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var md = new StringBuilder();
        void Line(FormattableString s) => md.Append(s.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Line($"# Evaluation: {r.Bundle} {r.Version} on {r.Data}");
        Line($"");
        Line($"Manifest sha256 `{r.ManifestSha256}`; {r.Samples} samples; temperature {r.Temperature:0.####}.");
        Line($"");
        Line($"| metric | value |");
        Line($"|---|---|");
        Line($"| accuracy | {r.Accuracy:0.0000} |");
        Line($"| ECE (15 bins) | {r.Ece:0.0000} |");
        Line($"| Brier | {r.Brier:0.0000} |");
        Line($"| NLL | {r.Nll:0.0000} |");
        if (r.Adversarial is { } adv)
        {
            Line($"| accuracy on adversarial {adv.Data} ({adv.Samples}, L-inf eps {adv.Epsilon?.ToString("0.###", CultureInfo.InvariantCulture) ?? "?"}, {adv.Steps?.ToString(CultureInfo.InvariantCulture) ?? "?"} PGD steps) | {adv.Accuracy:0.0000} |");
        }

        if (r.NearDuplicatesOfTraining is int near)
        {
            Line($"| test clouds that are near-duplicates of training clouds | {near} |");
        }

        Line($"| ModelSession run p50 / p99 (us, 1 thread) | {r.Latency.RunP50Us:0} / {r.Latency.RunP99Us:0} |");
        Line($"| preprocessing + run p50 / p99 (us) | {r.Latency.TotalP50Us:0} / {r.Latency.TotalP99Us:0} |");
        if (r.Ood is { } o)
        {
            Line($"| OOD ({o.Data}, {o.Samples}) decision score | {o.Score} |");
            Line($"| OOD AUROC / FPR@95 (decision score) | {o.Auroc:0.0000} / {o.Fpr95:0.0000} |");
            Line($"| OOD energy AUROC / FPR@95 | {o.EnergyAuroc:0.0000} / {o.EnergyFpr95:0.0000} |");
            if (o.MahalanobisAuroc is double ma)
            {
                Line($"| OOD Mahalanobis AUROC / FPR@95 | {ma:0.0000} / {o.MahalanobisFpr95:0.0000} |");
            }

            if (o.ManifestThreshold is double th)
            {
                Line($"| manifest threshold {th:0.####}: OOD flagged / test flagged | {o.FlaggedAtManifestThreshold:0.0000} / {o.TestFlaggedAtManifestThreshold:0.0000} |");
            }
        }

        Line($"");
        Line($"## Per-class recall");
        Line($"");
        Line($"| class | recall |");
        Line($"|---|---|");
        foreach ((string name, double recall) in r.PerClassRecall)
        {
            Line($"| {name} | {recall:0.0000} |");
        }

        Line($"");
        Line($"## Reliability");
        Line($"");
        Line($"![reliability](reliability.png) ([SVG](reliability.svg))");
        Line($"");
        Line($"| confidence | count | accuracy | mean confidence |");
        Line($"|---|---|---|---|");
        foreach (ReliabilityBinJson b in r.Reliability.Where(b => b.Count > 0))
        {
            Line($"| ({b.Lower:0.000}, {b.Upper:0.000}] | {b.Count} | {b.Accuracy:0.0000} | {b.Confidence:0.0000} |");
        }

        if (r.Robustness.Count > 0)
        {
            Line($"");
            Line($"## Robustness (seeded; clean accuracy {r.Accuracy:0.0000})");
            Line($"");
            Line($"| perturbation | SOR | level | accuracy |");
            Line($"|---|---|---|---|");
            foreach (RobustnessCurve c in r.Robustness)
            {
                foreach (RobustnessPoint p in c.Points)
                {
                    Line($"| {c.Perturbation} ({c.Unit}) | {(c.OutlierRemoval ? "on" : "off")} | {p.Level:0.###} | {p.Accuracy:0.0000} |");
                }
            }

            foreach (string name in r.Robustness.Select(c => c.Perturbation).Distinct())
            {
                Line($"");
                Line($"![{name}](robustness-{name}.png) ([SVG](robustness-{name}.svg))");
            }
        }

        return md.ToString();
    }

    private static string Reliability(EvaluationReport r)
    {
        var chart = new SvgChart($"Reliability ({r.Bundle}, ECE {r.Ece.ToString("0.0000", CultureInfo.InvariantCulture)})", "confidence", "accuracy", 0, 1);
        chart.Bars([.. r.Reliability.Where(b => b.Count > 0).Select(b => (b.Lower, b.Upper, b.Accuracy))]);
        chart.Line("perfect calibration", [(0, 0), (1, 1)], dashed: true);
        return chart.Render();
    }

    private static string Robustness(EvaluationReport r, RobustnessCurve[] curves)
    {
        double max = curves.SelectMany(c => c.Points).Max(p => p.Level);
        var chart = new SvgChart($"Accuracy under {curves[0].Perturbation}", curves[0].Unit, "accuracy", 0, max);
        foreach (RobustnessCurve c in curves)
        {
            chart.Line(c.OutlierRemoval ? "with SOR" : "without SOR", [(0, r.Accuracy), .. c.Points.Select(p => (p.Level, p.Accuracy))], dashed: c.OutlierRemoval);
        }

        return chart.Render();
    }
}
