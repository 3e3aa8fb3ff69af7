namespace GeoEdge.Inference.Pipelines;

/// <summary>Temperature-scaled softmax, energy score and top-k over one example's logits, in double precision.</summary>
internal static class ClassScores
{
    /// <summary>softmax(logits / T) into <paramref name="probabilities"/>.</summary>
    public static void Softmax(ReadOnlySpan<float> logits, double temperature, Span<double> probabilities)
    {
        double max = MaxScaled(logits, temperature);
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            probabilities[i] = Math.Exp((logits[i] / temperature) - max);
            sum += probabilities[i];
        }

        for (int i = 0; i < logits.Length; i++)
        {
            probabilities[i] /= sum;
        }
    }

    /// <summary>Energy score -T * logsumexp(logits / T) (Liu et al. 2020): higher means less like the training data.</summary>
    public static double Energy(ReadOnlySpan<float> logits, double temperature)
    {
        double max = MaxScaled(logits, temperature);
        double sum = 0;
        foreach (float z in logits)
        {
            sum += Math.Exp((z / temperature) - max);
        }

        return -temperature * (max + Math.Log(sum));
    }

    /// <summary>The <paramref name="k"/> most probable classes, most probable first; equal probabilities keep the lower index first.</summary>
    public static int[] TopK(ReadOnlySpan<double> probabilities, int k)
    {
        var order = new int[Math.Min(k, probabilities.Length)];
        TopK(probabilities, order);
        return order;
    }

    /// <summary>The <paramref name="order"/>.Length (at most the class count) most probable classes into <paramref name="order"/>, as <see cref="TopK(ReadOnlySpan{double}, int)"/>.</summary>
    public static void TopK(ReadOnlySpan<double> probabilities, Span<int> order)
    {
        int filled = 0;
        for (int c = 0; c < probabilities.Length; c++)
        {
            int at = filled < order.Length ? filled++ : order.Length;
            while (at > 0 && probabilities[c] > probabilities[order[at - 1]])
            {
                if (at < order.Length)
                {
                    order[at] = order[at - 1];
                }

                at--;
            }

            if (at < order.Length)
            {
                order[at] = c;
            }
        }
    }

    private static double MaxScaled(ReadOnlySpan<float> logits, double temperature)
    {
        double max = double.NegativeInfinity;
        foreach (float z in logits)
        {
            max = Math.Max(max, z / temperature);
        }

        return max;
    }
}
