using System.Runtime.CompilerServices;

namespace GeoEdge.Geometry.Spatial;

/// <summary>The reference distance kernel, one point at a time.</summary>
internal readonly struct ScalarDistanceKernel : IDistanceKernel
{
    public static int Collect(
        ref float xs, ref float ys, ref float zs, int count, float qx, float qy, float qz, float bound, ref float squaredOut, ref int slotOut)
    {
        int found = 0;
        for (int i = 0; i < count; i++)
        {
            float d2 = SquaredDistance(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i), Unsafe.Add(ref zs, i), qx, qy, qz);
            if (d2 <= bound)
            {
                Unsafe.Add(ref squaredOut, found) = d2;
                Unsafe.Add(ref slotOut, found) = i;
                found++;
            }
        }

        return found;
    }

    /// <summary>The one formula every kernel and every brute-force check uses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SquaredDistance(float px, float py, float pz, float qx, float qy, float qz)
    {
        float dx = px - qx;
        float dy = py - qy;
        float dz = pz - qz;
        return (dx * dx) + (dy * dy) + (dz * dz);
    }
}
