namespace GeoEdge.ModelTool.Quantize;

/// <summary>Clipping thresholds for |x| from an <see cref="AbsHistogram"/>: percentile and entropy (KL divergence).</summary>
internal static class RangeSearch
{
    /// <summary>Quantized levels on one side of zero for int8 (TensorRT's 128).</summary>
    public const int QuantizedBins = 128;

    /// <summary>The upper edge of the first bin at which the cumulative share of values reaches <paramref name="percentile"/> %.</summary>
    /// <remarks>Upper edge, so that 100 % gives the histogram's limit (the largest |x|) and never clips a value the bin holds.</remarks>
    public static double Percentile(AbsHistogram histogram, double percentile)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        long total = 0;
        foreach (long c in histogram.Counts)
        {
            total += c;
        }

        double need = total * (percentile / 100.0);
        long sum = 0;
        for (int i = 0; i < histogram.Counts.Length; i++)
        {
            sum += histogram.Counts[i];
            if (sum >= need)
            {
                return histogram.Edge(i + 1);
            }
        }

        return histogram.Limit;
    }

    /// <summary>TensorRT's entropy calibration (as NVIDIA's pytorch-quantization implements it): for each candidate end bin
    /// i in [128, bins], P = the first i bins with everything above folded into bin i - 1, Q = those i bins merged into 128
    /// levels and spread back evenly over the non-empty bins; the threshold is the edge of the i with the least KL(P || Q)
    /// (the largest such i on ties).</summary>
    /// <remarks>Bin 0 is replaced by bin 1 first, as the reference does, so the zeros a ReLU produces do not decide the range.
    /// Checked against tests/GeoEdge.ModelTool.Tests/Quantize/entropy_reference.py.</remarks>
    public static (double Threshold, int Bin, double Divergence) Entropy(AbsHistogram histogram, int quantizedBins = QuantizedBins)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        int n = histogram.Counts.Length;
        if (n <= quantizedBins)
        {
            return (histogram.Limit, n, 0);
        }

        var bins = new double[n];
        for (int i = 0; i < n; i++)
        {
            bins[i] = histogram.Counts[i];
        }

        bins[0] = bins[1];
        var suffix = new double[n + 1];
        for (int i = n - 1; i >= 0; i--)
        {
            suffix[i] = suffix[i + 1] + bins[i];
        }

        var p = new double[n];
        var q = new double[n];
        var merged = new double[quantizedBins];
        var nonEmpty = new int[quantizedBins];
        var level = new int[n];
        double best = double.PositiveInfinity;
        int bestBin = n;
        for (int i = quantizedBins; i <= n; i++)
        {
            Array.Clear(merged);
            Array.Clear(nonEmpty);

            // Bin j of the first i goes to level floor(j * 128 / i) (np.digitize over linspace(0, i, 129)).
            for (int j = 0; j < i; j++)
            {
                int l = Level(j, i, quantizedBins);
                level[j] = l;
                if (bins[j] != 0)
                {
                    merged[l] += bins[j];
                    nonEmpty[l]++;
                }
            }

            double qSum = 0;
            double pSum = 0;
            for (int j = 0; j < i; j++)
            {
                int l = level[j];
                q[j] = bins[j] != 0 ? merged[l] / nonEmpty[l] : 0;
                qSum += q[j];
                p[j] = bins[j];
            }

            p[i - 1] += suffix[i];
            pSum = suffix[0];
            double kl = Divergence(p, q, i, pSum, qSum);
            if (kl <= best)
            {
                best = kl;
                bestBin = i;
            }
        }

        return (histogram.Edge(bestBin), bestBin, best);
    }

    // np.digitize(j, linspace(0, i, k + 1)) - 1, computed exactly as numpy's float64 linspace does it.
    private static int Level(int j, int i, int k)
    {
        double step = (double)i / k;
        int l = (int)(j / step);
        if (l >= k)
        {
            l = k - 1;
        }

        // linspace values are start + m * step; guard against j sitting exactly on an edge that rounding moved.
        while (l + 1 < k && l + 1 < k + 1 && (l + 1) * step <= j)
        {
            l++;
        }

        while (l > 0 && l * step > j)
        {
            l--;
        }

        return l;
    }

    private static double Divergence(double[] p, double[] q, int length, double pSum, double qSum)
    {
        if (qSum == 0)
        {
            return double.PositiveInfinity;
        }

        double kl = 0;
        for (int j = 0; j < length; j++)
        {
            if (p[j] == 0)
            {
                continue;
            }

            double pj = p[j] / pSum;
            double qj = q[j] / qSum;
            if (qj == 0)
            {
                return double.PositiveInfinity;
            }

            kl += pj * Math.Log(pj / qj);
        }

        return kl;
    }
}
