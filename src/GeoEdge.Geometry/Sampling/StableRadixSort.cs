using System.Buffers;

namespace GeoEdge.Geometry.Sampling;

/// <summary>Stable least-significant-digit radix sort of (key, point) pairs by non-negative 64-bit key.</summary>
/// <remarks>
/// Stability is what makes grid sampling deterministic: points of one voxel stay in input order, so their
/// sums are added in the same order a dictionary walk over the input would add them. Only the digits that
/// the largest key needs are sorted, and a digit shared by every key is skipped.
/// </remarks>
internal static class StableRadixSort
{
    private const int DigitBits = 11;
    private const int Buckets = 1 << DigitBits;
    private const int Mask = Buckets - 1;

    /// <summary>Sorts the first <paramref name="length"/> pairs in place by key.</summary>
    public static void Sort(long[] keys, int[] points, int length, long maxKey)
    {
        int bits = 64 - (int)ulong.LeadingZeroCount((ulong)maxKey);
        int passes = (bits + DigitBits - 1) / DigitBits;
        if (length < 2 || passes == 0)
        {
            return;
        }

        int[] counts = ArrayPool<int>.Shared.Rent(passes * Buckets);
        long[] otherKeys = ArrayPool<long>.Shared.Rent(length);
        int[] otherPoints = ArrayPool<int>.Shared.Rent(length);
        try
        {
            Span<int> histogram = counts.AsSpan(0, passes * Buckets);
            histogram.Clear();
            for (int i = 0; i < length; i++)
            {
                ulong key = (ulong)keys[i];
                for (int p = 0; p < passes; p++)
                {
                    histogram[(p * Buckets) + (int)((key >> (p * DigitBits)) & Mask)]++;
                }
            }

            long[] srcKeys = keys, dstKeys = otherKeys;
            int[] srcPoints = points, dstPoints = otherPoints;
            for (int p = 0; p < passes; p++)
            {
                Span<int> offsets = histogram.Slice(p * Buckets, Buckets);
                if (!ToOffsets(offsets, length))
                {
                    continue;
                }

                int shift = p * DigitBits;
                for (int i = 0; i < length; i++)
                {
                    long key = srcKeys[i];
                    int at = offsets[(int)(((ulong)key >> shift) & Mask)]++;
                    dstKeys[at] = key;
                    dstPoints[at] = srcPoints[i];
                }

                (srcKeys, dstKeys) = (dstKeys, srcKeys);
                (srcPoints, dstPoints) = (dstPoints, srcPoints);
            }

            if (!ReferenceEquals(srcKeys, keys))
            {
                srcKeys.AsSpan(0, length).CopyTo(keys);
                srcPoints.AsSpan(0, length).CopyTo(points);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(counts);
            ArrayPool<long>.Shared.Return(otherKeys);
            ArrayPool<int>.Shared.Return(otherPoints);
        }
    }

    /// <summary>Turns counts into start offsets; false when one bucket holds everything (the pass would not move anything).</summary>
    private static bool ToOffsets(Span<int> counts, int length)
    {
        int sum = 0;
        for (int b = 0; b < counts.Length; b++)
        {
            int c = counts[b];
            if (c == length)
            {
                return false;
            }

            counts[b] = sum;
            sum += c;
        }

        return true;
    }
}
