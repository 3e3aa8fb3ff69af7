using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Prune;

/// <summary>Which norm ranks a channel: L1 (sum |w|) or L2 (root of sum w^2) of the producing weights' output slice.</summary>
public enum ChannelNorm
{
    L1,
    L2,
}

/// <summary>Ranks a group's output channels by the norm of their producing weights and picks the least important to remove.</summary>
/// <remarks>A group with several producers (outputs added together) sums their L1 norms, or their squared L2 norms before the
/// root, so the channel is judged by all the weights that write it. Ties go to the lower index first, for reproducibility.</remarks>
internal static class ChannelImportance
{
    public static double[] Scores(IReadOnlyList<WeightLayer> producers, ChannelNorm norm)
    {
        int channels = producers[0].OutChannels;
        var scores = new double[channels];
        foreach (WeightLayer p in producers)
        {
            float[] w = TensorData.Floats(p.Weight)!;
            long[] dims = TensorData.Dims(p.Weight);
            long inner = 1;
            for (int d = p.OutAxis + 1; d < dims.Length; d++)
            {
                inner *= dims[d];
            }

            for (long i = 0; i < w.Length; i++)
            {
                int c = (int)(i / inner % channels);
                scores[c] += norm == ChannelNorm.L1 ? Math.Abs(w[i]) : (double)w[i] * w[i];
            }
        }

        return norm == ChannelNorm.L1 ? scores : Array.ConvertAll(scores, Math.Sqrt);
    }

    /// <summary>The floor(ratio x channels) channels with the lowest score (at least one channel is always kept), fewer when the
    /// kept count is rounded up to a multiple of <paramref name="multiple"/> (never above the group's channels).</summary>
    public static HashSet<int> LeastImportant(double[] scores, double ratio, int multiple = 1)
    {
        int count = Math.Min((int)Math.Floor(ratio * scores.Length), scores.Length - 1);
        if (multiple > 1)
        {
            int kept = Math.Min(scores.Length, (scores.Length - count + multiple - 1) / multiple * multiple);
            count = scores.Length - kept;
        }

        int[] order = Enumerable.Range(0, scores.Length).ToArray();
        Array.Sort(order, (a, b) => scores[a].CompareTo(scores[b]) is var c && c != 0 ? c : a.CompareTo(b));
        return [.. order.Take(count)];
    }
}
