namespace GeoEdge.Geometry.Sampling;

/// <summary>The reference kernel: one point at a time, the definition the vector kernels must match bit for bit.</summary>
internal sealed class ScalarFarthestPointKernel : IFarthestPointKernel
{
    public static readonly ScalarFarthestPointKernel Instance = new();

    public string Name => "scalar";

    public int UpdateAndArgMax(
        ReadOnlySpan<float> xs,
        ReadOnlySpan<float> ys,
        ReadOnlySpan<float> zs,
        Span<float> minDist,
        float qx,
        float qy,
        float qz,
        out float max)
    {
        return UpdateRange(xs, ys, zs, minDist, 0, qx, qy, qz, -1f, -1, out max);
    }

    /// <summary>Scalar update of [start, end) continuing a running (max, arg); used for vector tails too.</summary>
    internal static int UpdateRange(
        ReadOnlySpan<float> xs,
        ReadOnlySpan<float> ys,
        ReadOnlySpan<float> zs,
        Span<float> minDist,
        int start,
        float qx,
        float qy,
        float qz,
        float bestValue,
        int bestIndex,
        out float max)
    {
        int n = minDist.Length;
        xs = xs[..n];
        ys = ys[..n];
        zs = zs[..n];
        for (int i = start; i < n; i++)
        {
            float dx = xs[i] - qx;
            float dy = ys[i] - qy;
            float dz = zs[i] - qz;
            float d = (dx * dx) + (dy * dy) + (dz * dz);
            float m = MathF.Min(minDist[i], d);
            minDist[i] = m;
            if (m > bestValue)
            {
                bestValue = m;
                bestIndex = i;
            }
        }

        max = bestValue;
        return bestIndex;
    }
}
