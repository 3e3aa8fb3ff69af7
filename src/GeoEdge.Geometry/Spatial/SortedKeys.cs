using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
