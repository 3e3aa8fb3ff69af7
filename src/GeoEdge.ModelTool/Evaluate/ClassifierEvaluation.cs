using GeoEdge.Geometry;
using GeoEdge.Geometry.Transforms;
using GeoEdge.Inference.Bundles;
using GeoEdge.ModelTool.Calibrate;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>How much of the robustness sweep to run: every level, one level per perturbation, or none.</summary>
internal enum RobustnessDepth
{
    Off,
    Quick,
    Full,
}

/// <summary>Evaluates a point-cloud classifier bundle on a labelled split: accuracy, recall, calibration, latency, OOD and robustness.</summary>
internal static class ClassifierEvaluation
{
    public static EvaluationReport Run(ModelBundle bundle, string dataPath, string? oodPath, RobustnessDepth depth)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        BundleManifest m = bundle.Manifest;
        double t = m.Calibration?.Temperature ?? 1;
        using var runner = new CloudRunner(bundle);
        CloudDataset data = CloudDataset.Load(dataPath);
        data.RequireLabels(runner.Classes);
        CloudOutput[] outputs = [.. data.Clouds.Select(c => runner.Run(c))];
        double[][] logits = [.. outputs.Select(o => o.Logits)];
        double[][] probabilities = CalibrationMetrics.Probabilities(logits, t);
        int[] labels = data.Labels;
        OodSummary? ood = null;
        if (oodPath is not null)
        {
            double[] id = [.. logits.Select(z => CalibrationMetrics.Energy(z, t))];
            double[] od = [.. CloudDataset.Load(oodPath).Clouds.Select(c => CalibrationMetrics.Energy(runner.Run(c).Logits, t))];
            double? threshold = m.Ood is { Score: "energy" } rule ? rule.Threshold : null;
            ood = new OodSummary(Path.GetFileName(oodPath), od.Length, OodMetrics.Auroc(id, od), OodMetrics.FprAtRecall(id, od),
                threshold, threshold is double th ? (double)od.Count(e => e > th) / od.Length : null);
        }

        return new EvaluationReport
        {
            Bundle = m.Name,
            Version = m.Version,
            ManifestSha256 = bundle.ManifestSha256,
            Data = Path.GetFileName(dataPath),
            Samples = data.Count,
            Accuracy = CalibrationMetrics.Accuracy(logits, labels),
            PerClassRecall = PerClassRecall(logits, labels, ClassNames(m, runner.Classes)),
            Temperature = t,
            Ece = CalibrationMetrics.Ece(probabilities, labels),
            Brier = CalibrationMetrics.Brier(probabilities, labels),
            Nll = TemperatureScaling.Nll(logits, labels, 1 / t),
            Reliability = [.. CalibrationMetrics.Reliability(probabilities, labels).Select(b => new ReliabilityBinJson(b.Lower, b.Upper, b.Count, b.Accuracy, b.Confidence))],
            Latency = new LatencySummary(
                Percentile([.. outputs.Select(o => o.RunUs)], 0.5), Percentile([.. outputs.Select(o => o.RunUs)], 0.99),
                Percentile([.. outputs.Select(o => o.TotalUs)], 0.5), Percentile([.. outputs.Select(o => o.TotalUs)], 0.99), 1),
            Ood = ood,
            Robustness = Robustness(runner, data, depth),
        };
    }

    /// <summary>Nearest-rank percentile: the ceil(q * n)-th smallest value.</summary>
    public static double Percentile(double[] values, double q)
    {
        double[] sorted = [.. values.Order()];
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static List<RobustnessCurve> Robustness(CloudRunner runner, CloudDataset data, RobustnessDepth depth)
    {
        var curves = new List<RobustnessCurve>();
        if (depth == RobustnessDepth.Off)
        {
            return curves;
        }

        // Normalized once: perturbation strengths are then relative to each cloud's extent.
        PointCloud[] normalized = [.. data.Clouds.Select(c => new NormalizeScale().Apply(c))];
        bool[] sorModes = runner.OutlierRemoval is null ? [false] : [false, true];
        foreach (bool sor in sorModes)
        {
            foreach (Perturbation p in Perturbation.All)
            {
                double[] levels = depth == RobustnessDepth.Full ? p.FullLevels : [p.QuickLevel];
                var points = new List<RobustnessPoint>();
                for (int l = 0; l < levels.Length; l++)
                {
                    // One transform per level, seeded by the level's position: reruns draw the same perturbations.
                    IPointCloudTransform transform = p.Create(levels[l], 1000 + l);
                    int correct = 0;
                    for (int i = 0; i < normalized.Length; i++)
                    {
                        CloudOutput o = runner.Run(transform.Apply(normalized[i]), sor);
                        correct += CalibrationMetrics.ArgMax(o.Logits) == data.Labels[i] ? 1 : 0;
                    }

                    points.Add(new RobustnessPoint(levels[l], (double)correct / normalized.Length));
                }

                curves.Add(new RobustnessCurve(p.Name, p.Unit, sor, points));
            }
        }

        return curves;
    }

    private static string[] ClassNames(BundleManifest m, int classes) =>
        m.Labels is { } l && l.Count == classes ? [.. l] : [.. Enumerable.Range(0, classes).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private static Dictionary<string, double> PerClassRecall(double[][] logits, int[] labels, string[] names)
    {
        var total = new int[names.Length];
        var hit = new int[names.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            total[labels[i]]++;
            hit[labels[i]] += CalibrationMetrics.ArgMax(logits[i]) == labels[i] ? 1 : 0;
        }

        var recall = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int c = 0; c < names.Length; c++)
        {
            if (total[c] > 0)
            {
                recall[names[c]] = (double)hit[c] / total[c];
            }
        }

        return recall;
    }
}
