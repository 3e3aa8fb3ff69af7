using GeoEdge.ModelTool.Evaluate;

namespace GeoEdge.ModelTool.Calibrate;

/// <summary>Everything `calibrate` fits and measures on a validation split (and an optional OOD split).</summary>
internal sealed record CalibrationResult(
    int Samples,
    double Temperature,
    double NllBefore,
    double NllAfter,
    double EceBefore,
    double EceAfter,
    double BrierBefore,
    double BrierAfter,
    double Accuracy,
    double EnergyThreshold,
    double? MahalanobisThreshold,
    MahalanobisFit? Mahalanobis,
    OodResult? Ood);

/// <summary>What the temperature minimises on the validation split: the NLL (default) or the 15-bin ECE of the top-1 confidence.</summary>
internal enum TemperatureObjective
{
    Nll,
    Ece,
}

/// <summary>OOD separation on an out-of-distribution split: AUROC and FPR at 95% in-distribution recall per score.</summary>
internal sealed record OodResult(int Samples, double EnergyAuroc, double EnergyFpr95, double? MahalanobisAuroc, double? MahalanobisFpr95);

/// <summary>Fits temperature, the energy threshold and the Mahalanobis statistics from a classifier's validation outputs.</summary>
internal static class ClassifierCalibration
{
    public static CalibrationResult Fit(CloudOutput[] validation, int[] labels, int classes, CloudOutput[]? ood, TemperatureObjective objective = TemperatureObjective.Nll)
    {
        double[][] logits = [.. validation.Select(o => o.Logits)];
        double t = objective == TemperatureObjective.Ece ? TemperatureScaling.FitEce(logits, labels) : TemperatureScaling.Fit(logits, labels);
        double[][] before = CalibrationMetrics.Probabilities(logits, 1);
        double[][] after = CalibrationMetrics.Probabilities(logits, t);
        double[] energy = [.. logits.Select(z => CalibrationMetrics.Energy(z, t))];
        MahalanobisFit? maha = validation[0].Embedding is null ? null
            : MahalanobisFit.Fit([.. validation.Select(o => o.Embedding!)], labels, classes);
        double[]? idDistance = maha is null ? null : HeldOutDistances(validation, labels, classes);
        OodResult? oodResult = null;
        if (ood is { Length: > 0 })
        {
            double[] oodEnergy = [.. ood.Select(o => CalibrationMetrics.Energy(o.Logits, t))];
            double? mAuroc = null, mFpr = null;
            if (maha is not null)
            {
                double[] id = idDistance!;
                double[] od = [.. ood.Select(o => maha.Distance(o.Embedding!))];
                mAuroc = OodMetrics.Auroc(id, od);
                mFpr = OodMetrics.FprAtRecall(id, od);
            }

            oodResult = new OodResult(ood.Length, OodMetrics.Auroc(energy, oodEnergy), OodMetrics.FprAtRecall(energy, oodEnergy), mAuroc, mFpr);
        }

        return new CalibrationResult(
            validation.Length,
            t,
            TemperatureScaling.Nll(logits, labels, 1),
            TemperatureScaling.Nll(logits, labels, 1 / t),
            CalibrationMetrics.Ece(before, labels),
            CalibrationMetrics.Ece(after, labels),
            CalibrationMetrics.Brier(before, labels),
            CalibrationMetrics.Brier(after, labels),
            CalibrationMetrics.Accuracy(logits, labels),
            OodMetrics.ThresholdAtRecall(energy),
            idDistance is null ? null : OodMetrics.ThresholdAtRecall(idDistance),
            maha,
            oodResult);
    }

    /// <summary>Each validation embedding's distance under statistics fitted without it (5 folds, sample i in fold i mod 5).</summary>
    /// <remarks>Distances of the samples the means and covariance were fitted on are optimistic: a threshold placed on them
    /// at 95% recall flagged 94.6% of the unseen test split of shapes-dgcnn. Held-out distances are what the device will see.
    /// Falls back to in-sample distances when a fold would leave a class without samples.</remarks>
    internal static double[] HeldOutDistances(CloudOutput[] validation, int[] labels, int classes, int folds = 5)
    {
        var distances = new double[validation.Length];
        for (int fold = 0; fold < folds; fold++)
        {
            var train = new List<int>();
            for (int i = 0; i < validation.Length; i++)
            {
                if (i % folds != fold)
                {
                    train.Add(i);
                }
            }

            var seen = new bool[classes];
            foreach (int i in train)
            {
                seen[labels[i]] = true;
            }

            if (Array.IndexOf(seen, false) >= 0)
            {
                MahalanobisFit all = MahalanobisFit.Fit([.. validation.Select(o => o.Embedding!)], labels, classes);
                return [.. validation.Select(o => all.Distance(o.Embedding!))];
            }

            MahalanobisFit fit = MahalanobisFit.Fit([.. train.Select(i => validation[i].Embedding!)], [.. train.Select(i => labels[i])], classes);
            for (int i = fold; i < validation.Length; i += folds)
            {
                distances[i] = fit.Distance(validation[i].Embedding!);
            }
        }

        return distances;
    }
}
