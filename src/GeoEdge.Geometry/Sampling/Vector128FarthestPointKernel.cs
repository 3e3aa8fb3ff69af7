using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GeoEdge.Geometry.Sampling;

/// <summary>The farthest-point step on 4-float vectors (NEON on arm64, SSE on x64); same floats as the scalar kernel, lane by lane.</summary>
internal sealed class Vector128FarthestPointKernel : IFarthestPointKernel
{
    public static readonly Vector128FarthestPointKernel Instance = new();

    public string Name => "vector128";

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
        int n = minDist.Length;
        if (xs.Length < n || ys.Length < n || zs.Length < n)
        {
            SamplingThrow.SliceTooShort();
        }

        int width = Vector128<float>.Count;
        int vectorEnd = n - (n % width);
        ref float x = ref MemoryMarshal.GetReference(xs);
        ref float y = ref MemoryMarshal.GetReference(ys);
        ref float z = ref MemoryMarshal.GetReference(zs);
        ref float md = ref MemoryMarshal.GetReference(minDist);
        var vqx = Vector128.Create(qx);
        var vqy = Vector128.Create(qy);
        var vqz = Vector128.Create(qz);

        // Lanes start below any distance (distances are >= 0), so an untouched lane never wins.
        var best = Vector128.Create(-1f);
        var bestIndex = Vector128<int>.Zero;
        var index = Vector128<int>.Indices;
        var step = Vector128.Create(width);
        for (int i = 0; i < vectorEnd; i += width)
        {
            nuint at = (nuint)i;
            var dx = Vector128.LoadUnsafe(ref x, at) - vqx;
            var dy = Vector128.LoadUnsafe(ref y, at) - vqy;
            var dz = Vector128.LoadUnsafe(ref z, at) - vqz;
            var d = (dx * dx) + (dy * dy) + (dz * dz);
            var m = Vector128.Min(Vector128.LoadUnsafe(ref md, at), d);
            m.StoreUnsafe(ref md, at);

            // Strictly greater keeps each lane's first maximum, as torch's argmax does.
            var greater = Vector128.GreaterThan(m, best);
            best = Vector128.ConditionalSelect(greater, m, best);
            bestIndex = Vector128.ConditionalSelect(greater.AsInt32(), index, bestIndex);
            index += step;
        }

        float bestValue = -1f;
        int bestAt = -1;
        for (int lane = 0; lane < width; lane++)
        {
            float v = best.GetElement(lane);
            int j = bestIndex.GetElement(lane);
            if (v > bestValue || (v == bestValue && j < bestAt))
            {
                bestValue = v;
                bestAt = j;
            }
        }

        return ScalarFarthestPointKernel.UpdateRange(xs, ys, zs, minDist, vectorEnd, qx, qy, qz, bestValue, bestAt, out max);
    }
}
