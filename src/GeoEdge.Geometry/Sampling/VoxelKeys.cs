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
    public static int Compute(PointCloud cloud, Vector3 size, long[] keys, int[] points, out VoxelGridShape shape)
    {
        float[] p = cloud.Positions;
        long[]? batch = cloud.Batch;
        int n = cloud.Count;
        float minX = float.PositiveInfinity, minY = float.PositiveInfinity, minZ = float.PositiveInfinity;
        float maxX = float.NegativeInfinity, maxY = float.NegativeInfinity, maxZ = float.NegativeInfinity;
        int finite = 0;
        for (int i = 0; i < n; i++)
        {
            float x = p[3 * i], y = p[(3 * i) + 1], z = p[(3 * i) + 2];

            // x - x is 0 for finite x and NaN for NaN or infinity: one test for all three coordinates.
            if (float.IsNaN((x - x) + (y - y) + (z - z)))
            {
                continue;
            }

            minX = x < minX ? x : minX;
            maxX = x > maxX ? x : maxX;
            minY = y < minY ? y : minY;
            maxY = y > maxY ? y : maxY;
            minZ = z < minZ ? z : minZ;
            maxZ = z > maxZ ? z : maxZ;
            points[finite++] = i;
        }

        var min = new Vector3(minX, minY, minZ);
        var max = new Vector3(maxX, maxY, maxZ);
        shape = default;
        if (finite == 0)
        {
            return 0;
        }

        long firstBatch = batch is null ? 0 : batch[points[0]];
        long examples = batch is null ? 1 : batch[points[finite - 1]] - firstBatch + 1;
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
            keys[k] = vx + (nx * vy) + (nxy * vz);
        }

        if (batch is not null)
        {
            for (int k = 0; k < finite; k++)
            {
                keys[k] += nxyz * (batch[points[k]] - firstBatch);
            }
        }

        shape = new VoxelGridShape((long)total, nxyz, firstBatch);
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

/// <summary>The extent of a voxel key space: keys are in [0, KeyCount), each example spans KeysPerExample keys.</summary>
internal readonly record struct VoxelGridShape(long KeyCount, long KeysPerExample, long FirstBatch)
{
    public long MaxKey => KeyCount - 1;

    /// <summary>The example a key belongs to (the batch value, not its offset).</summary>
    public long BatchOf(long key) => FirstBatch + (key / KeysPerExample);
}
