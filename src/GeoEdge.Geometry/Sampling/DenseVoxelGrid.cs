using System.Buffers;

namespace GeoEdge.Geometry.Sampling;

/// <summary>Grid sampling for grids with few voxels: per-voxel sums in dense arrays, filled in one streaming pass.</summary>
/// <remarks>
/// When the key space is small next to the point count the accumulators stay in cache and no sort or
/// gather is needed. Points are added in input order and voxels come out by ascending key, so the result
/// is the one the sorted path gives. Attributes, when present, are grouped by a stable counting sort.
/// </remarks>
internal static class DenseVoxelGrid
{
    /// <summary>Key spaces up to this size always take the dense path (accumulators of 112 KiB).</summary>
    private const int MinKeys = 4_096;

    public static bool Fits(long keyCount, int points) => keyCount <= Math.Max(MinKeys, points / 8);

    public static PointCloud Sample(PointCloud cloud, long[] keys, int[] points, int finite, VoxelGridShape shape)
    {
        int keyCount = (int)shape.KeyCount;
        double[] sums = ArrayPool<double>.Shared.Rent(3 * keyCount);
        int[] counts = ArrayPool<int>.Shared.Rent(keyCount + 1);
        try
        {
            Array.Clear(sums, 0, 3 * keyCount);
            Array.Clear(counts, 0, keyCount + 1);
            float[] p = cloud.Positions;
            for (int k = 0; k < finite; k++)
            {
                int key = (int)keys[k];
                int i = 3 * points[k];
                counts[key]++;
                sums[3 * key] += p[i];
                sums[(3 * key) + 1] += p[i + 1];
                sums[(3 * key) + 2] += p[i + 2];
            }

            int voxels = 0;
            for (int key = 0; key < keyCount; key++)
            {
                voxels += counts[key] > 0 ? 1 : 0;
            }

            var positions = new float[3 * voxels];
            long[]? batch = cloud.Batch is null ? null : new long[voxels];
            for (int key = 0, v = 0; key < keyCount; key++)
            {
                int c = counts[key];
                if (c == 0)
                {
                    continue;
                }

                positions[3 * v] = (float)(sums[3 * key] / c);
                positions[(3 * v) + 1] = (float)(sums[(3 * key) + 1] / c);
                positions[(3 * v) + 2] = (float)(sums[(3 * key) + 2] / c);
                if (batch is not null)
                {
                    batch[v] = shape.BatchOf(key);
                }

                v++;
            }

            AttributeChannel[] attributes = cloud.Attributes.Count == 0
                ? []
                : ReduceAttributes(cloud, keys, points, finite, counts, keyCount, voxels);
            return new PointCloud(positions, voxels, 1, attributes, batch, cloud.Viewpoint);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(sums);
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    /// <summary>Groups points by voxel with a stable counting sort (counts become offsets), then reduces each channel.</summary>
    private static AttributeChannel[] ReduceAttributes(PointCloud cloud, long[] keys, int[] points, int finite, int[] counts, int keyCount, int voxels)
    {
        var runStart = new int[voxels + 1];
        int offset = 0;
        for (int key = 0, v = 0; key < keyCount; key++)
        {
            int c = counts[key];
            counts[key] = offset;
            if (c > 0)
            {
                runStart[v++] = offset;
            }

            offset += c;
        }

        runStart[voxels] = offset;
        int[] order = ArrayPool<int>.Shared.Rent(Math.Max(finite, 1));
        try
        {
            for (int k = 0; k < finite; k++)
            {
                order[counts[(int)keys[k]]++] = points[k];
            }

            return VoxelAttributeReducer.ReduceAll(cloud, order.AsSpan(0, finite), runStart);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
        }
    }
}
