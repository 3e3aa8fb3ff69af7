using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GeoEdge.Geometry.Spatial;

/// <summary>The distance kernel over Vector512: 16 points per step, the tail masked.</summary>
internal readonly struct Vector512DistanceKernel : IDistanceKernel
{
    public static int Collect(
        ref float xs, ref float ys, ref float zs, int count, float qx, float qy, float qz, float bound, ref float squaredOut, ref int slotOut)
    {
        Vector512<float> vqx = Vector512.Create(qx);
        Vector512<float> vqy = Vector512.Create(qy);
        Vector512<float> vqz = Vector512.Create(qz);
        Vector512<float> vBound = Vector512.Create(bound);
        int found = 0;
        for (int i = 0; i < count; i += 16)
        {
            // The last step reads past count (the arrays are padded) and masks those lanes off.
            Vector512<float> dx = Vector512.LoadUnsafe(ref xs, (nuint)i) - vqx;
            Vector512<float> dy = Vector512.LoadUnsafe(ref ys, (nuint)i) - vqy;
            Vector512<float> dz = Vector512.LoadUnsafe(ref zs, (nuint)i) - vqz;
            Vector512<float> d2 = (dx * dx) + (dy * dy) + (dz * dz);
            ulong mask = Vector512.LessThanOrEqual(d2, vBound).ExtractMostSignificantBits();
            int remaining = count - i;
            if (remaining < 16)
            {
                mask &= (1ul << remaining) - 1;
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
