using System.Numerics;

namespace GeoEdge.Geometry.Sampling;

/// <summary>Linear voxel index of every finite point, as torch_cluster.grid computes it for PyG's voxel_grid.</summary>
/// <remarks>
/// start = the min corner of the finite points (one start for the whole batch, the batch index acting as a
/// fourth coordinate of voxel size 1, as voxel_grid does). Per axis <c>v = (long)((p - start) / size)</c> in
/// single precision (truncation equals floor because p - start &gt;= 0), dims <c>n = (long)((end - start) / size) + 1</c>,
/// and key = vx + nx*(vy + ny*(vz + nz*(b - firstBatch))): x fastest, then y, z and example.
/// </remarks>
internal static class VoxelKeys
{
    /// <summary>Below 2^62 voxels along an axis the conversion to long and the product check are exact.</summary>
    private const float AxisLimit = 4.611686E18f;

    /// <summary>Fills keys and point indices for the finite points, in input order; returns how many.</summary>
    public static int Compute(PointCloud cloud, Vector3 size, long[] keys, int[] points, out long maxKey)
    {
        float[] p = cloud.Positions;
        long[]? batch = cloud.Batch;
        int n = cloud.Count;
        Vector3 min = new(float.PositiveInfinity), max = new(float.NegativeInfinity);
        int finite = 0, first = -1, last = -1;
        for (int i = 0; i < n; i++)
        {
            float x = p[3 * i], y = p[(3 * i) + 1], z = p[(3 * i) + 2];
            if (!float.IsFinite(x) || !float.IsFinite(y) || !float.IsFinite(z))
            {
                continue;
            }

            var v = new Vector3(x, y, z);
            min = Vector3.Min(min, v);
            max = Vector3.Max(max, v);
            points[finite++] = i;
            first = first < 0 ? i : first;
            last = i;
        }

        maxKey = 0;
        if (finite == 0)
        {
            return 0;
        }

        long firstBatch = batch is null ? 0 : batch[first];
        long examples = batch is null ? 1 : batch[last] - firstBatch + 1;
        long nx = AxisCount(max.X - min.X, size.X, size, 0);
        long ny = AxisCount(max.Y - min.Y, size.Y, size, 1);
        long nz = AxisCount(max.Z - min.Z, size.Z, size, 2);
        Int128 total = (Int128)nx * ny * nz * examples;
        if (total > long.MaxValue)
        {
            SamplingThrow.VoxelIndexOverflow(GridSampling.FormatSize(size), nx, ny, nz, examples);
        }

        long nxy = nx * ny, nxyz = nxy * nz;
        for (int k = 0; k < finite; k++)
        {
            int i = points[k];
            long vx = (long)((p[3 * i] - min.X) / size.X);
            long vy = (long)((p[(3 * i) + 1] - min.Y) / size.Y);
            long vz = (long)((p[(3 * i) + 2] - min.Z) / size.Z);
            long b = batch is null ? 0 : batch[i] - firstBatch;
            keys[k] = vx + (nx * vy) + (nxy * vz) + (nxyz * b);
        }

        maxKey = (long)(total - 1);
        return finite;
    }

    private static long AxisCount(float extent, float axisSize, Vector3 size, int axis)
    {
        float q = extent / axisSize;
        if (!(q < AxisLimit))
        {
            SamplingThrow.VoxelExtentOverflow(GridSampling.FormatSize(size), axis);
        }

        return (long)q + 1;
    }
}
