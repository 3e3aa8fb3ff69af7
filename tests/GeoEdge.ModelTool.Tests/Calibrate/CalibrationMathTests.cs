using GeoEdge.ModelTool.Calibrate;

namespace GeoEdge.ModelTool.Tests.Calibrate;

/// <summary>Temperature fit, ECE, Brier, AUROC, FPR@95, the recall threshold and Mahalanobis distances on hand-checkable inputs.</summary>
[Trait("Category", "Unit")]
public sealed class CalibrationMathTests
{
    // Each logit row is 3 * log(p), and its labels occur exactly in proportion to p, so softmax(z / 3) = p is the
    // empirical label distribution and the NLL's derivative in 1/T vanishes exactly at T = 3.
    private static (double[][] Logits, int[] Labels) ThreeTimesLogProbabilities()
    {
        var logits = new List<double[]>();
        var labels = new List<int>();
        void Group(double[] p, int[] ys)
        {
            foreach (int y in ys)
            {
                logits.Add([.. p.Select(v => 3 * Math.Log(v))]);
                labels.Add(y);
            }
        }

        Group([0.5, 0.25, 0.25], [0, 0, 1, 2]);
        Group([0.6, 0.2, 0.2], [0, 0, 0, 1, 2]);
        Group([0.1, 0.1, 0.8], [0, 1, 2, 2, 2, 2, 2, 2, 2, 2]);
        return ([.. logits], [.. labels]);
    }

    [Fact]
    public void Temperature_fit_recovers_the_known_optimum_of_three()
    {
        (double[][] logits, int[] labels) = ThreeTimesLogProbabilities();

        double t = TemperatureScaling.Fit(logits, labels);

        Assert.Equal(3.0, t, 1e-9);
        Assert.True(TemperatureScaling.Nll(logits, labels, 1 / t) < TemperatureScaling.Nll(logits, labels, 1 / 2.9));
        Assert.True(TemperatureScaling.Nll(logits, labels, 1 / t) < TemperatureScaling.Nll(logits, labels, 1 / 3.1));
    }

    [Fact]
    public void Temperature_fit_clamps_perfectly_separated_data_at_the_minimum()
    {
        double[][] logits = [[5, 0], [0, 5]];
        Assert.Equal(TemperatureScaling.MinTemperature, TemperatureScaling.Fit(logits, [0, 1]), 1e-12);
    }

    [Fact]
    public void Ece_fit_puts_the_confidence_on_the_accuracy_when_every_sample_looks_alike()
    {
        // 100 identical rows [2, 0], 75 labelled 0: the top-1 confidence is sigmoid(2 / T) for every row, so ECE(T) =
        // |0.75 - sigmoid(2 / T)|, zero at 2 / T = ln 3, T = 1.820478...
        double[][] logits = [.. Enumerable.Repeat(new double[] { 2, 0 }, 100)];
        int[] labels = [.. Enumerable.Range(0, 100).Select(static i => i < 75 ? 0 : 1)];

        double t = TemperatureScaling.FitEce(logits, labels);

        Assert.Equal(2 / Math.Log(3), t, 2e-3);
        Assert.True(CalibrationMetrics.Ece(CalibrationMetrics.Probabilities(logits, t), labels) < 2e-4);
    }

    [Fact]
    public void Ece_fit_is_at_least_as_calibrated_as_the_nll_fit_where_the_two_differ()
    {
        // 50 rows [4, 0] all right and 50 rows [1, 0] 30 right: no single T calibrates both groups, and NLL and ECE
        // weigh the two differently.
        double[][] logits = [.. Enumerable.Repeat(new double[] { 4, 0 }, 50), .. Enumerable.Repeat(new double[] { 1, 0 }, 50)];
        int[] labels = [.. Enumerable.Range(0, 100).Select(static i => i < 50 || i < 80 ? 0 : 1)];
        double Ece(double t) => CalibrationMetrics.Ece(CalibrationMetrics.Probabilities(logits, t), labels);

        double nll = TemperatureScaling.Fit(logits, labels);
        double ece = TemperatureScaling.FitEce(logits, labels);

        Assert.NotEqual(nll, ece, 1e-3);
        Assert.True(Ece(ece) < Ece(nll), $"ECE {Ece(ece)} at T = {ece}, {Ece(nll)} at the NLL's T = {nll}");
        foreach (double t in (double[])[0.25, 0.5, 1, 2, 4])
        {
            Assert.True(Ece(ece) <= Ece(t) + 1e-12, $"T = {t} gives ECE {Ece(t)} < {Ece(ece)}");
        }
    }

    // Confidences 0.95 (right) and 0.94 (wrong) share bin 14 (14/15, 1]: |0.5 - 0.945| * 2/4 = 0.2225;
    // 0.62 (right, bin 9): 0.38 / 4 = 0.095; 0.72 (right, bin 10): 0.28 / 4 = 0.07. ECE = 0.3875.
    private static readonly double[][] Probabilities = [[0.95, 0.05], [0.06, 0.94], [0.62, 0.38], [0.28, 0.72]];
    private static readonly int[] Labels = [0, 0, 0, 1];

    [Fact]
    public void Ece_averages_accuracy_minus_confidence_over_fifteen_bins_weighted_by_count()
    {
        Assert.Equal(0.3875, CalibrationMetrics.Ece(Probabilities, Labels), 1e-12);
        ReliabilityBin[] bins = CalibrationMetrics.Reliability(Probabilities, Labels);
        Assert.Equal(15, bins.Length);
        Assert.Equal((2, 0.5, 0.945), (bins[14].Count, bins[14].Accuracy, Math.Round(bins[14].Confidence, 12)));
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 2], bins.Select(b => b.Count));
    }

    [Fact]
    public void Brier_sums_squared_errors_over_classes_and_averages_over_samples()
    {
        // 2 * (0.05^2 + 0.94^2 + 0.38^2 + 0.28^2) / 4 = 2 * 1.1089 / 4
        Assert.Equal(0.55445, CalibrationMetrics.Brier(Probabilities, Labels), 1e-12);
    }

    [Fact]
    public void Auroc_counts_ood_wins_over_in_distribution_scores_and_ties_as_half()
    {
        // 2.5 beats {1, 2}; 4 beats {1, 2, 3} and ties 4; 5 beats all four: (2 + 3.5 + 4) / 12.
        Assert.Equal(9.5 / 12, OodMetrics.Auroc([1, 2, 3, 4], [2.5, 4, 5]), 1e-15);
        Assert.Equal(1.0, OodMetrics.Auroc([1, 2], [3, 4]));
        Assert.Equal(0.0, OodMetrics.Auroc([3, 4], [1, 2]));
    }

    [Fact]
    public void Fpr95_is_the_fraction_of_ood_scores_not_above_the_95_percent_recall_threshold()
    {
        // 4 in-distribution scores: ceil(0.95 * 4) = 4 must pass, so t = 4; 2.5 and 4 pass too.
        Assert.Equal(2.0 / 3, OodMetrics.FprAtRecall([1, 2, 3, 4], [2.5, 4, 5]), 1e-15);
    }

    [Fact]
    public void Threshold_at_95_percent_recall_keeps_exactly_95_percent_of_distinct_scores()
    {
        double[] twenty = [.. Enumerable.Range(1, 20).Select(i => (double)i).Reverse()];
        Assert.Equal(19, OodMetrics.ThresholdAtRecall(twenty));

        double[] hundredTwenty = [.. Enumerable.Range(0, 120).Select(i => (i * 37 % 120) / 10.0)];
        double t = OodMetrics.ThresholdAtRecall(hundredTwenty);
        Assert.Equal(114, hundredTwenty.Count(s => s <= t));
        Assert.Equal(11.3, t, 1e-12);
    }

    [Fact]
    public void Mahalanobis_on_a_two_dimensional_toy_uses_class_means_and_the_tied_covariance()
    {
        // Both classes scatter by (+-1, 0), (0, +-1): tied covariance diag(0.5, 0.5); shrinkage toward
        // trace/d = 0.5 leaves it unchanged.
        double[][] e = [[1, 0], [-1, 0], [0, 1], [0, -1], [11, 0], [9, 0], [10, 1], [10, -1]];
        int[] y = [0, 0, 0, 0, 1, 1, 1, 1];

        MahalanobisFit fit = MahalanobisFit.Fit(e, y, classes: 2);

        Assert.Equal([0.0, 0.0], fit.Means[0]);
        Assert.Equal([10.0, 0.0], fit.Means[1]);
        Assert.Equal(0.5, fit.Covariance[0][0], 1e-15);
        Assert.Equal(0.5, fit.Covariance[1][1], 1e-15);
        Assert.Equal(0.0, fit.Covariance[0][1], 1e-15);
        Assert.Equal(Math.Sqrt(8), fit.Distance([0, 2]), 1e-12);
        Assert.Equal(Math.Sqrt(50), fit.Distance([5, 0]), 1e-12);
        Assert.Equal(Math.Sqrt(18), fit.Distance([10, 3]), 1e-12);
    }
}
