using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GeoEdge.Geometry.Spatial;

/// <summary>The distance kernel over Vector256: 8 points per step, the tail masked.</summary>
internal readonly struct Vector256DistanceKernel : IDistanceKernel
{
    public static int Collect(
        ref float xs, ref float ys, ref float zs, int count, float qx, float qy, float qz, float bound, ref float squaredOut, ref int slotOut)
    {
        Vector256<float> vqx = Vector256.Create(qx);
        Vector256<float> vqy = Vector256.Create(qy);
        Vector256<float> vqz = Vector256.Create(qz);
        Vector256<float> vBound = Vector256.Create(bound);
        int found = 0;
        for (int i = 0; i < count; i += 8)
        {
            // The last step reads past count (the arrays are padded) and masks those lanes off.
            Vector256<float> dx = Vector256.LoadUnsafe(ref xs, (nuint)i) - vqx;
            Vector256<float> dy = Vector256.LoadUnsafe(ref ys, (nuint)i) - vqy;
            Vector256<float> dz = Vector256.LoadUnsafe(ref zs, (nuint)i) - vqz;
            Vector256<float> d2 = (dx * dx) + (dy * dy) + (dz * dz);
            uint mask = Vector256.LessThanOrEqual(d2, vBound).ExtractMostSignificantBits();
            int remaining = count - i;
            if (remaining < 8)
            {
                mask &= (1u << remaining) - 1;
            }

            while (mask != 0)
            {
                int lane = BitOperations.TrailingZeroCount(mask);
                Unsafe.Add(ref squaredOut, found) = d2.GetElement(lane);
                Unsafe.Add(ref slotOut, found) = i + lane;
                found++;
                mask &= mask - 1;
            }
        }

        return found;
    }
}
