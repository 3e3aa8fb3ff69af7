namespace GeoEdge.ModelTool.Calibrate;

/// <summary>Calibration of a probability of one event (a sensor being faulty): ECE over equal-width bins of p, Brier score, NLL, and reliability bins.</summary>
/// <remarks>The bins hold the predicted probability itself, not the top-label confidence max(p, 1 - p): for a rare event
/// the question is whether "p = 0.3" means faulty 30 % of the time. With few faults most predictions sit in the lowest
/// bin, which then dominates the ECE; the reliability bins show the rest.</remarks>
internal static class BinaryCalibrationMetrics
{
    /// <summary>Reliability bins of p: bin b holds p in (b/15, (b+1)/15] (bin 0 also takes 0); "accuracy" is the fraction of positives.</summary>
    public static ReliabilityBin[] Reliability(ReadOnlySpan<double> p, ReadOnlySpan<bool> labels)
    {
        const int bins = CalibrationMetrics.Bins;
        var count = new int[bins];
        var positive = new int[bins];
        var sum = new double[bins];
        for (int i = 0; i < p.Length; i++)
        {
            int bin = Math.Clamp((int)Math.Ceiling(p[i] * bins) - 1, 0, bins - 1);
            count[bin]++;
            positive[bin] += labels[i] ? 1 : 0;
            sum[bin] += p[i];
        }

        var result = new ReliabilityBin[bins];
        for (int b = 0; b < bins; b++)
        {
            result[b] = new ReliabilityBin((double)b / bins, (double)(b + 1) / bins, count[b],
                count[b] == 0 ? 0 : (double)positive[b] / count[b], count[b] == 0 ? 0 : sum[b] / count[b]);
        }

        return result;
    }

    /// <summary>Sum over bins of |B|/n * |fraction positive in B - mean p in B|.</summary>
    public static double Ece(ReadOnlySpan<double> p, ReadOnlySpan<bool> labels)
    {
        double ece = 0;
        foreach (ReliabilityBin bin in Reliability(p, labels))
        {
            ece += (double)bin.Count / p.Length * Math.Abs(bin.Accuracy - bin.Confidence);
        }

        return ece;
    }

    /// <summary>Mean (p - y)^2, in [0, 1].</summary>
    public static double Brier(ReadOnlySpan<double> p, ReadOnlySpan<bool> labels)
    {
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
        {
            double d = p[i] - (labels[i] ? 1 : 0);
            sum += d * d;
        }

        return sum / p.Length;
    }

    /// <summary>sigmoid(scale * z + bias) for every score.</summary>
    public static double[] Probabilities(ReadOnlySpan<double> scores, double scale, double bias)
    {
        var p = new double[scores.Length];
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = PlattScaling.Sigmoid((scale * scores[i]) + bias);
        }

        return p;
    }
}
