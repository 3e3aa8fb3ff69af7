using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GeoEdge.Geometry.Spatial;

/// <summary><see cref="Vector256DistanceKernel"/>'s filter with the accepted lanes packed by a permutation table instead of a loop over mask bits (AVX2).</summary>
/// <remarks>
/// Same slots in the same order with the same squared distances; no branch per accepted lane, which matters when a
/// query scans many short rows. Writes a whole vector at the output position, so outputs need room for
/// <c>count + 8</c> entries.
/// </remarks>
internal static class CompressingDistanceKernel
{
    /// <summary>For each 8-bit mask, the lanes it selects in ascending order, then zeros: 256 x 8 indices.</summary>
    private static readonly int[] Permutations = BuildPermutations();

    public static bool IsSupported => Avx2.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Collect(
        ref float xs, ref float ys, ref float zs, int count, float qx, float qy, float qz, float bound, ref float squaredOut, ref int slotOut)
    {
        Vector256<float> vqx = Vector256.Create(qx);
        Vector256<float> vqy = Vector256.Create(qy);
        Vector256<float> vqz = Vector256.Create(qz);
        Vector256<float> vBound = Vector256.Create(bound);
        Vector256<int> lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        ref int permutations = ref Permutations[0];
        int found = 0;
        for (int i = 0; i < count; i += 8)
        {
            Vector256<float> dx = Vector256.LoadUnsafe(ref xs, (nuint)i) - vqx;
            Vector256<float> dy = Vector256.LoadUnsafe(ref ys, (nuint)i) - vqy;
            Vector256<float> dz = Vector256.LoadUnsafe(ref zs, (nuint)i) - vqz;
            Vector256<float> d2 = (dx * dx) + (dy * dy) + (dz * dz);
            uint mask = Vector256.LessThanOrEqual(d2, vBound).ExtractMostSignificantBits();
            mask &= count - i >= 8 ? 0xFFu : (1u << (count - i)) - 1;
            Vector256<int> permutation = Vector256.LoadUnsafe(ref permutations, mask * 8);
            Avx2.PermuteVar8x32(d2, permutation).StoreUnsafe(ref squaredOut, (nuint)found);
            Avx2.PermuteVar8x32(lanes + Vector256.Create(i), permutation).StoreUnsafe(ref slotOut, (nuint)found);
            found += BitOperations.PopCount(mask);
        }

        return found;
    }

    private static int[] BuildPermutations()
    {
        var table = new int[256 * 8];
        for (int mask = 0; mask < 256; mask++)
        {
            int at = 0;
            for (int lane = 0; lane < 8; lane++)
            {
                if ((mask & (1 << lane)) != 0)
                {
                    table[(mask * 8) + at++] = lane;
                }
            }
        }

        return table;
    }
}
