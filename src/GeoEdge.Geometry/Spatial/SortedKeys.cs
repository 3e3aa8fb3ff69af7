using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GeoEdge.Geometry.Spatial;

/// <summary>The k best <see cref="KBest"/> keys of one query kept sorted by a branch-free insertion.</summary>
/// <remarks>
/// A leaf-batched query inserts ~40 keys into 16 slots; the shifting loop of <see cref="KBest.Add"/> ends
/// on an unpredictable branch every time. Here every slot is rewritten at once: with old keys o (ascending,
/// unused slots long.MaxValue, and o[-1] = long.MinValue in front), the new slot i is
/// <c>o[i] &lt; key ? o[i] : max(o[i-1], key)</c>, which shifts everything above the key by one and drops the
/// last. A key not below the last slot changes nothing. Layout: one guard slot, then k slots rounded up to
/// whole Vector128 of keys (the round-up slot is scratch, never read as a result).
/// </remarks>
internal static class SortedKeys
{
    /// <summary>Array length for <paramref name="k"/> keys: guard, k, and the round-up to pairs.</summary>
    public static int Length(int k) => 1 + k + (k & 1);

    /// <summary>Array length for <paramref name="k"/> keys usable by both inserts: guard, k, and the round-up to fours.</summary>
    public static int WideLength(int k) => 1 + ((k + 3) & ~3);

    /// <summary>
    /// <see cref="Insert"/> for one query's keys updated back to back: <paramref name="keys"/> must be <see cref="WideLength"/> long. Same result.
    /// </summary>
    /// <remarks>
    /// <see cref="Insert"/> loads each lower neighbour from memory one slot off the previous insertion's stores, which
    /// a CPU cannot forward from its store buffer: fine when 16-32 queries take turns (leaf batches), a stall on every
    /// load when one query inserts key after key. Here every vector is loaded and stored at the same place, bottom up,
    /// and the lower neighbours come from the previous vector still in a register.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InsertWide(long[] keys, long key)
    {
        ref long first = ref keys[1];
        nuint slots = (nuint)keys.Length - 1;
        if (Avx2.IsSupported)
        {
            Vector256<long> wanted = Vector256.Create(key);
            Vector256<long> previousRotated = Vector256.Create(long.MinValue);
            for (nuint at = 0; at < slots; at += 4)
            {
                Vector256<long> old = Vector256.LoadUnsafe(ref first, at);

                // Lanes (3, 0, 1, 2): lanes 1-3 are the lower neighbours of lanes 1-3; lane 0's is the previous vector's lane 3.
                Vector256<long> rotated = Avx2.Permute4x64(old, 0b10_01_00_11);
                Vector256<long> below = Avx2.Blend(rotated.AsInt32(), previousRotated.AsInt32(), 0b0000_0011).AsInt64();
                Vector256<long> moved = Vector256.ConditionalSelect(Vector256.GreaterThan(below, wanted), below, wanted);
                Vector256.StoreUnsafe(Vector256.ConditionalSelect(Vector256.LessThan(old, wanted), old, moved), ref first, at);
                previousRotated = rotated;
            }

            return;
        }

        Vector128<long> wanted128 = Vector128.Create(key);
        long previousTop = long.MinValue;
        for (nuint at = 0; at < slots; at += 2)
        {
            Vector128<long> old = Vector128.LoadUnsafe(ref first, at);
            Vector128<long> below = Vector128.Create(previousTop, old.GetElement(0));
            Vector128<long> moved = Vector128.ConditionalSelect(Vector128.GreaterThan(below, wanted128), below, wanted128);
            Vector128.StoreUnsafe(Vector128.ConditionalSelect(Vector128.LessThan(old, wanted128), old, moved), ref first, at);
            previousTop = old.GetElement(1);
        }
    }

    /// <summary>Empties <paramref name="keys"/>: guard long.MinValue, every slot long.MaxValue.</summary>
    public static void Reset(long[] keys)
    {
        keys[0] = long.MinValue;
        keys.AsSpan(1).Fill(long.MaxValue);
    }

    /// <summary>Inserts <paramref name="key"/> into the sorted keys at keys[1..k+1), dropping the largest.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Insert(long[] keys, long key)
    {
        // Walks down from the top pair, so each pair still reads its unwritten lower neighbour.
        ref long guard = ref keys[0];
        Vector128<long> wanted = Vector128.Create(key);
        for (nuint at = (nuint)keys.Length - 3; (nint)at >= 0; at -= 2)
        {
            Vector128<long> below = Vector128.LoadUnsafe(ref guard, at);
            Vector128<long> old = Vector128.LoadUnsafe(ref guard, at + 1);
            Vector128<long> moved = Vector128.ConditionalSelect(Vector128.GreaterThan(below, wanted), below, wanted);
            Vector128.StoreUnsafe(Vector128.ConditionalSelect(Vector128.LessThan(old, wanted), old, moved), ref guard, at + 1);
        }
    }
}
