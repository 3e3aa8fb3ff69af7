namespace GeoEdge.Geometry.Spatial;

/// <summary>The k best (squared distance, index) pairs seen so far, in caller-owned arrays.</summary>
/// <remarks>
/// Small k (the usual 8..32) keeps the arrays sorted by insertion: the worst is the last entry and the
/// result needs no final sort. Large k (up to every point of an example) uses a max-heap instead, so
/// one insertion costs O(log k) rather than O(k), then <see cref="SortHeap"/> orders it. Order is
/// lexicographic on (distance, index), so equal distances resolve to the lower index.
/// </remarks>
internal static class KBest
{
    /// <summary>Above this k a heap beats shifting a sorted array.</summary>
    public const int SortedLimit = 48;

    /// <summary>Index of the worst kept entry once the arrays are full.</summary>
    public static int WorstSlot(int k) => k > SortedLimit ? 0 : k - 1;

    /// <summary>Adds (d, i) unless the arrays are full and it does not beat the worst; returns the new count.</summary>
    public static int Add(float[] bestD, int[] bestI, int count, int k, float d, int i) =>
        k > SortedLimit ? HeapAdd(bestD, bestI, count, k, d, i) : SortedAdd(bestD, bestI, count, k, d, i);

    /// <summary>Puts entries in ascending order (a no-op for the sorted form).</summary>
    public static void Finish(float[] bestD, int[] bestI, int count, int k)
    {
        if (k > SortedLimit)
        {
            SortHeap(bestD, bestI, count);
        }
    }

    private static bool Worse(float da, int ia, float db, int ib) => da > db || (da == db && ia > ib);

    private static int SortedAdd(float[] bestD, int[] bestI, int count, int k, float d, int i)
    {
        int position;
        if (count == k)
        {
            if (Worse(d, i, bestD[k - 1], bestI[k - 1]))
            {
                return count;
            }

            position = k - 1;
        }
        else
        {
            position = count++;
        }

        while (position > 0 && Worse(bestD[position - 1], bestI[position - 1], d, i))
        {
            bestD[position] = bestD[position - 1];
            bestI[position] = bestI[position - 1];
            position--;
        }

        bestD[position] = d;
        bestI[position] = i;
        return count;
    }

    private static int HeapAdd(float[] bestD, int[] bestI, int count, int k, float d, int i)
    {
        if (count == k)
        {
            if (Worse(d, i, bestD[0], bestI[0]))
            {
                return count;
            }

            SiftDown(bestD, bestI, count, d, i);
            return count;
        }

        int position = count++;
        while (position > 0)
        {
            int parent = (position - 1) >> 1;
            if (!Worse(d, i, bestD[parent], bestI[parent]))
            {
                break;
            }

            bestD[position] = bestD[parent];
            bestI[position] = bestI[parent];
            position = parent;
        }

        bestD[position] = d;
        bestI[position] = i;
        return count;
    }

    /// <summary>Places (d, i) at the root of the heap of <paramref name="count"/> entries and restores the heap.</summary>
    private static void SiftDown(float[] bestD, int[] bestI, int count, float d, int i)
    {
        int position = 0;
        while (true)
        {
            int child = (2 * position) + 1;
            if (child >= count)
            {
                break;
            }

            if (child + 1 < count && Worse(bestD[child + 1], bestI[child + 1], bestD[child], bestI[child]))
            {
                child++;
            }

            if (!Worse(bestD[child], bestI[child], d, i))
            {
                break;
            }

            bestD[position] = bestD[child];
            bestI[position] = bestI[child];
            position = child;
        }

        bestD[position] = d;
        bestI[position] = i;
    }

    private static void SortHeap(float[] bestD, int[] bestI, int count)
    {
        for (int end = count - 1; end > 0; end--)
        {
            float d = bestD[end];
            int i = bestI[end];
            bestD[end] = bestD[0];
            bestI[end] = bestI[0];
            SiftDown(bestD, bestI, end, d, i);
        }
    }
}
