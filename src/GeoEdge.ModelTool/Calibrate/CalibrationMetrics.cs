namespace GeoEdge.ModelTool.Calibrate;

/// <summary>Softmax, energy, expected calibration error, Brier score and reliability bins over a set of logits.</summary>
internal static class CalibrationMetrics
{
    /// <summary>Equal-width confidence bins of the ECE, as Guo et al. (2017).</summary>
    public const int Bins = 15;

    /// <summary>softmax(z / T), in double.</summary>
    public static double[] Softmax(double[] z, double temperature)
    {
        double max = double.NegativeInfinity;
        foreach (double v in z)
        {
            max = Math.Max(max, v / temperature);
        }

        var p = new double[z.Length];
        double sum = 0;
        for (int c = 0; c < z.Length; c++)
        {
            p[c] = Math.Exp((z[c] / temperature) - max);
            sum += p[c];
        }

        for (int c = 0; c < z.Length; c++)
        {
            p[c] /= sum;
        }

        return p;
    }

    /// <summary>Energy score -T * logsumexp(z / T), as the runtime computes it (higher = less like the training data).</summary>
    public static double Energy(double[] z, double temperature)
    {
        double max = double.NegativeInfinity;
        foreach (double v in z)
        {
            max = Math.Max(max, v / temperature);
        }

        double sum = 0;
        foreach (double v in z)
        {
            sum += Math.Exp((v / temperature) - max);
        }

        return -temperature * (max + Math.Log(sum));
    }

    /// <summary>Index of the largest value; ties keep the lower index (as the runtime's top-k).</summary>
    public static int ArgMax(double[] values)
    {
        int best = 0;
        for (int c = 1; c < values.Length; c++)
        {
            best = values[c] > values[best] ? c : best;
        }

        return best;
    }

    /// <summary>Reliability bins of the top-class confidence: bin b holds confidences in (b/15, (b+1)/15] (bin 0 also takes 0).</summary>
    public static ReliabilityBin[] Reliability(double[][] probabilities, int[] labels)
    {
        var count = new int[Bins];
        var correct = new int[Bins];
        var confidence = new double[Bins];
        for (int i = 0; i < probabilities.Length; i++)
        {
            int predicted = ArgMax(probabilities[i]);
            double p = probabilities[i][predicted];
            int bin = Math.Clamp((int)Math.Ceiling(p * Bins) - 1, 0, Bins - 1);
            count[bin]++;
            correct[bin] += predicted == labels[i] ? 1 : 0;
            confidence[bin] += p;
        }

        var bins = new ReliabilityBin[Bins];
        for (int b = 0; b < Bins; b++)
        {
            bins[b] = new ReliabilityBin((double)b / Bins, (double)(b + 1) / Bins, count[b],
                count[b] == 0 ? 0 : (double)correct[b] / count[b], count[b] == 0 ? 0 : confidence[b] / count[b]);
        }

        return bins;
    }

    /// <summary>Expected calibration error: sum over bins of |B|/n * |accuracy(B) - mean confidence(B)|.</summary>
    public static double Ece(double[][] probabilities, int[] labels)
    {
        double ece = 0;
        foreach (ReliabilityBin bin in Reliability(probabilities, labels))
        {
            ece += (double)bin.Count / probabilities.Length * Math.Abs(bin.Accuracy - bin.Confidence);
        }

        return ece;
    }

    /// <summary>Multi-class Brier score (Brier 1950): mean over samples of sum over classes of (p_c - [c = y])^2, in [0, 2].</summary>
    public static double Brier(double[][] probabilities, int[] labels)
    {
        double sum = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            for (int c = 0; c < probabilities[i].Length; c++)
            {
                double d = probabilities[i][c] - (c == labels[i] ? 1 : 0);
                sum += d * d;
            }
        }

        return sum / probabilities.Length;
    }

    public static double Accuracy(double[][] scores, int[] labels)
    {
        int correct = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            correct += ArgMax(scores[i]) == labels[i] ? 1 : 0;
        }

        return (double)correct / scores.Length;
    }

    public static double[][] Probabilities(double[][] logits, double temperature) => [.. logits.Select(z => Softmax(z, temperature))];
}

/// <summary>One confidence bin of a reliability diagram: its range, how many predictions fell in it, their accuracy and mean confidence.</summary>
internal sealed record ReliabilityBin(double Lower, double Upper, int Count, double Accuracy, double Confidence);
