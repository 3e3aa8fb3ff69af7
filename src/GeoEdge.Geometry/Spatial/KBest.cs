using System.Runtime.CompilerServices;

namespace GeoEdge.Geometry.Spatial;

/// <summary>The k best candidates seen so far, each packed as one ordered key, in a caller-owned array.</summary>
/// <remarks>
/// A key is <c>(bits of d2) &lt;&lt; 32 | index</c>. Squared distances are never negative or NaN (a sum of
/// squares is +0, positive or +inf), and the bits of such floats order exactly like the floats, so one
/// integer comparison orders by (distance, index): equal distances resolve to the lower index.
/// Small k (the usual 8..32) keeps the keys sorted by insertion, the worst last; large k (up to every
/// point of an example) uses a max-heap, O(log k) per insertion, sorted by <see cref="Finish"/>.
/// </remarks>
internal static class KBest
{
    /// <summary>Above this k a heap beats shifting a sorted array.</summary>
    public const int SortedLimit = 48;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Key(float squaredDistance, int index) =>
        ((long)BitConverter.SingleToInt32Bits(squaredDistance) << 32) | (uint)index;

    public static float SquaredDistanceOf(long key) => BitConverter.Int32BitsToSingle((int)(key >> 32));

    public static int IndexOf(long key) => (int)(key & 0xFFFFFFFF);

    /// <summary>Position of the worst kept key once the array is full.</summary>
    public static int WorstSlot(int k) => k > SortedLimit ? 0 : k - 1;

    /// <summary>Adds <paramref name="key"/> unless the array is full and it does not beat the worst; returns the new count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Add(long[] best, int count, int k, long key) =>
        k > SortedLimit ? HeapAdd(best, count, k, key) : SortedAdd(best, count, k, key);

    /// <summary>Puts the keys in ascending order (a no-op for the sorted form).</summary>
    public static void Finish(long[] best, int count, int k)
    {
        if (k > SortedLimit)
        {
            for (int end = count - 1; end > 0; end--)
            {
                long last = best[end];
                best[end] = best[0];
                SiftDown(best, end, last);
            }
        }
    }

    private static int SortedAdd(long[] best, int count, int k, long key)
    {
        int position;
        if (count == k)
        {
            if (key >= best[k - 1])
            {
                return count;
            }

            position = k - 1;
        }
        else
        {
            position = count++;
        }

        while (position > 0 && best[position - 1] > key)
        {
            best[position] = best[position - 1];
            position--;
        }

        best[position] = key;
        return count;
    }

    private static int HeapAdd(long[] best, int count, int k, long key)
    {
        if (count == k)
        {
            if (key < best[0])
            {
                SiftDown(best, count, key);
            }

            return count;
        }

        int position = count++;
        while (position > 0)
        {
            int parent = (position - 1) >> 1;
            if (best[parent] >= key)
            {
                break;
            }

            best[position] = best[parent];
            position = parent;
        }

        best[position] = key;
        return count;
    }

    /// <summary>Places <paramref name="key"/> at the root of the heap of <paramref name="count"/> keys and restores the heap.</summary>
    private static void SiftDown(long[] best, int count, long key)
    {
        int position = 0;
        while (true)
        {
            int child = (2 * position) + 1;
            if (child >= count)
            {
                break;
            }

            if (child + 1 < count && best[child + 1] > best[child])
            {
                child++;
            }

            if (best[child] <= key)
            {
                break;
            }

            best[position] = best[child];
            position = child;
        }

        best[position] = key;
    }
}
