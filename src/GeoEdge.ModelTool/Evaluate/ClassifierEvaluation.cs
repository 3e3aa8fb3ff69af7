using GeoEdge.Geometry;
using GeoEdge.Geometry.Transforms;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
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
    public static EvaluationReport Run(ModelBundle bundle, string dataPath, string? oodPath, RobustnessDepth depth, string? adversarialPath = null)
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
        OodSummary? ood = oodPath is null ? null : Ood(runner, m, MahalanobisScorer.FromBundle(bundle), outputs, oodPath, t);
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
            Adversarial = adversarialPath is null ? null : Adversarial(runner, adversarialPath),
        };
    }

    /// <summary>Accuracy on an adversarial split (the recipe's PGD clouds), run like the test split; its epsilon and steps when it records them.</summary>
    private static AdversarialSummary Adversarial(CloudRunner runner, string path)
    {
        CloudDataset data = CloudDataset.Load(path);
        data.RequireLabels(runner.Classes);
        double[][] logits = [.. data.Clouds.Select(c => runner.Run(c).Logits)];
        IReadOnlyDictionary<string, Geometry.IO.NpyArray> arrays = Geometry.IO.NpzFile.Read(path);
        double? eps = arrays.TryGetValue("epsilon", out Geometry.IO.NpyArray? e) && e.DType == Geometry.IO.NpyDType.Float32 && e.AsSpan<float>().Length == 1 ? e.AsSpan<float>()[0] : null;
        int? steps = arrays.TryGetValue("steps", out Geometry.IO.NpyArray? st) && st.DType == Geometry.IO.NpyDType.Int64 && st.AsSpan<long>().Length == 1 ? (int)st.AsSpan<long>()[0] : null;
        return new AdversarialSummary(Path.GetFileName(path), data.Count, CalibrationMetrics.Accuracy(logits, data.Labels), eps, steps);
    }

    private static OodSummary Ood(CloudRunner runner, BundleManifest m, MahalanobisScorer? maha, CloudOutput[] test, string oodPath, double t)
    {
        CloudOutput[] ood = [.. CloudDataset.Load(oodPath).Clouds.Select(c => runner.Run(c))];
        double[] idEnergy = [.. test.Select(o => CalibrationMetrics.Energy(o.Logits, t))];
        double[] odEnergy = [.. ood.Select(o => CalibrationMetrics.Energy(o.Logits, t))];
        double[]? idDistance = null, odDistance = null;
        if (maha is not null && test[0].Embedding is not null)
        {
            // The runtime's own scorer over the bundle's verified statistics, so evaluation measures what the device flags.
            idDistance = [.. test.Select(o => maha.Distance(o.Embedding!))];
            odDistance = [.. ood.Select(o => maha.Distance(o.Embedding!))];
        }

        string score = m.Ood?.Score ?? "energy";
        (double[] id, double[] od) = score == "mahalanobis" && idDistance is not null ? (idDistance, odDistance!) : (idEnergy, odEnergy);
        score = ReferenceEquals(id, idDistance) ? "mahalanobis" : "energy";
        double? threshold = m.Ood?.Score == score ? m.Ood.Threshold : null;
        return new OodSummary(
            Path.GetFileName(oodPath),
            ood.Length,
            score,
            OodMetrics.Auroc(id, od),
            OodMetrics.FprAtRecall(id, od),
            OodMetrics.Auroc(idEnergy, odEnergy),
            OodMetrics.FprAtRecall(idEnergy, odEnergy),
            idDistance is null ? null : OodMetrics.Auroc(idDistance, odDistance!),
            idDistance is null ? null : OodMetrics.FprAtRecall(idDistance, odDistance!),
            threshold,
            threshold is double th ? (double)od.Count(e => e > th) / od.Length : null,
            threshold is double th2 ? (double)id.Count(e => e > th2) / id.Length : null);
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
