using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GeoEdge.Geometry.Spatial;

/// <summary>The distance kernel over Vector128: 4 points per step, the tail masked.</summary>
internal readonly struct Vector128DistanceKernel : IDistanceKernel
{
    public static int Collect(
        ref float xs, ref float ys, ref float zs, int count, float qx, float qy, float qz, float bound, ref float squaredOut, ref int slotOut)
    {
        Vector128<float> vqx = Vector128.Create(qx);
        Vector128<float> vqy = Vector128.Create(qy);
        Vector128<float> vqz = Vector128.Create(qz);
        Vector128<float> vBound = Vector128.Create(bound);
        int found = 0;
        for (int i = 0; i < count; i += 4)
        {
            // The last step reads past count (the arrays are padded) and masks those lanes off.
            Vector128<float> dx = Vector128.LoadUnsafe(ref xs, (nuint)i) - vqx;
            Vector128<float> dy = Vector128.LoadUnsafe(ref ys, (nuint)i) - vqy;
            Vector128<float> dz = Vector128.LoadUnsafe(ref zs, (nuint)i) - vqz;
            Vector128<float> d2 = (dx * dx) + (dy * dy) + (dz * dz);
            uint mask = Vector128.LessThanOrEqual(d2, vBound).ExtractMostSignificantBits();
            int remaining = count - i;
            if (remaining < 4)
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
