namespace GeoEdge.ModelTool.Calibrate;

/// <summary>Out-of-distribution metrics for a score where higher means "more out of distribution": threshold at a recall, AUROC, FPR at 95% recall.</summary>
internal static class OodMetrics
{
    public const double Recall = 0.95;

    /// <summary>The smallest threshold t among the in-distribution scores with at least <paramref name="recall"/> of them &lt;= t (kept, since only scores above t are flagged).</summary>
    /// <remarks>t is the ceil(recall * n)-th smallest score, so exactly that many in-distribution samples pass unless scores tie at t.</remarks>
    public static double ThresholdAtRecall(double[] inDistribution, double recall = Recall)
    {
        if (inDistribution.Length == 0)
        {
            throw new ArgumentException("no in-distribution scores to place a threshold on");
        }

        double[] sorted = [.. inDistribution.Order()];
        int k = Math.Clamp((int)Math.Ceiling((recall * sorted.Length) - 1e-9), 1, sorted.Length);
        return sorted[k - 1];
    }

    /// <summary>Fraction of out-of-distribution scores not flagged (&lt;= the threshold at 95% in-distribution recall).</summary>
    public static double FprAtRecall(double[] inDistribution, double[] outOfDistribution, double recall = Recall)
    {
        double t = ThresholdAtRecall(inDistribution, recall);
        return (double)outOfDistribution.Count(s => s <= t) / outOfDistribution.Length;
    }

    /// <summary>Area under the ROC curve with OOD as positives: P(ood score &gt; id score) + P(equal) / 2 (Mann-Whitney U), exact.</summary>
    public static double Auroc(double[] inDistribution, double[] outOfDistribution)
    {
        if (inDistribution.Length == 0 || outOfDistribution.Length == 0)
        {
            throw new ArgumentException("AUROC needs in- and out-of-distribution scores");
        }

        double[] id = [.. inDistribution.Order()];
        double wins = 0;
        foreach (double s in outOfDistribution)
        {
            int below = LowerBound(id, s);
            int equalOrBelow = UpperBound(id, s);
            wins += below + (0.5 * (equalOrBelow - below));
        }

        return wins / ((double)id.Length * outOfDistribution.Length);
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            (lo, hi) = sorted[mid] < value ? (mid + 1, hi) : (lo, mid);
        }

        return lo;
    }

    private static int UpperBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            (lo, hi) = sorted[mid] <= value ? (mid + 1, hi) : (lo, mid);
        }

        return lo;
    }
}
