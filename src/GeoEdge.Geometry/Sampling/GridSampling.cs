using System.Buffers;
using System.Numerics;
using GeoEdge.Geometry.Transforms;

namespace GeoEdge.Geometry.Sampling;

/// <summary>Voxel-grid downsampling with PyG GridSampling semantics: one point per occupied voxel at the mean position.</summary>
/// <remarks>
/// <para>Voxels: <see cref="VoxelKeys"/> (PyG voxel_grid: the grid starts at the min corner of the cloud,
/// one start for all examples, the example index acting as a fourth coordinate). PCL's VoxelGrid aligns
/// its grid to multiples of the leaf size instead (<c>floor(p / leaf)</c>); the two agree when the min corner lies on
/// such a multiple.</para>
/// <para>Output order: ascending linear voxel index, x fastest, then y, z and example. That is the order of
/// PyG's consecutive_cluster (sorted unique cluster ids) and of PCL's VoxelGrid (it sorts by
/// <c>(ijk - min_b) . (1, dx, dx*dy)</c>, x fastest too). The batch vector is kept.</para>
/// <para>Work: keys for every finite point; a grid of few voxels (<see cref="DenseVoxelGrid"/>) is summed in
/// one pass over dense per-voxel accumulators, a larger one is sorted by key (<see cref="StableRadixSort"/>)
/// and summed run by run. Both add each voxel's points in input order, so they give identical results.</para>
/// <para>Values: positions are the mean of the voxel's points, summed in double in input order and rounded
/// once to float (more accurate than PCL's and PyG's float sums, and independent of sort order); attributes
/// follow <see cref="VoxelAttributeReducer"/>. Points with a NaN or infinite coordinate are dropped before
/// anything else, as PCL's filter drops them (PyG would let NaN poison the start corner).</para>
/// </remarks>
public sealed class GridSampling : IPointCloudTransform
{
    /// <summary>A cubic voxel of edge <paramref name="size"/>.</summary>
    public GridSampling(float size)
        : this(new Vector3(size))
    {
        IsCubic = true;
    }

    /// <summary>A box voxel with edges (size.X, size.Y, size.Z).</summary>
    public GridSampling(Vector3 size)
    {
        ValidateSize(size);
        Size = size;
    }

    public Vector3 Size { get; }

    private bool IsCubic { get; }

    /// <summary>Downsamples with a cubic voxel of edge <paramref name="size"/>.</summary>
    public static PointCloud Apply(PointCloud cloud, float size) => Apply(cloud, new Vector3(size));

    /// <summary>Downsamples with a box voxel; a size so small that the voxel index overflows int64 is an <see cref="ArgumentException"/>.</summary>
    public static PointCloud Apply(PointCloud cloud, Vector3 size)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        ValidateSize(size);
        int n = cloud.Count;
        long[] keys = ArrayPool<long>.Shared.Rent(Math.Max(n, 1));
        int[] order = ArrayPool<int>.Shared.Rent(Math.Max(n, 1));
        try
        {
            int finite = VoxelKeys.Compute(cloud, size, keys, order, out VoxelGridShape shape);
            if (DenseVoxelGrid.Fits(shape.KeyCount, finite))
            {
                return DenseVoxelGrid.Sample(cloud, keys, order, finite, shape);
            }

            StableRadixSort.Sort(keys, order, finite, shape.MaxKey);
            int[] runStart = RunStarts(keys, finite);
            return Build(cloud, order.AsSpan(0, finite), runStart);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(keys);
            ArrayPool<int>.Shared.Return(order);
        }
    }

    public PointCloud Apply(PointCloud cloud) => Apply(cloud, Size);

    public override string ToString() => $"GridSampling(size={(IsCubic ? TransformText.Number(Size.X) : FormatSize(Size))})";

    internal static string FormatSize(Vector3 size) =>
        size.X == size.Y && size.Y == size.Z
            ? TransformText.Number(size.X)
            : $"[{TransformText.Number(size.X)}, {TransformText.Number(size.Y)}, {TransformText.Number(size.Z)}]";

    /// <summary>Start of each run of equal keys in the sorted keys, plus the end: voxels + 1 entries.</summary>
    private static int[] RunStarts(long[] keys, int length)
    {
        int voxels = length == 0 ? 0 : 1;
        for (int i = 1; i < length; i++)
        {
            voxels += keys[i] != keys[i - 1] ? 1 : 0;
        }

        var starts = new int[voxels + 1];
        int v = 0;
        for (int i = 1; i < length; i++)
        {
            if (keys[i] != keys[i - 1])
            {
                starts[++v] = i;
            }
        }

        starts[voxels] = length;
        return starts;
    }

    private static PointCloud Build(PointCloud cloud, ReadOnlySpan<int> order, int[] runStart)
    {
        int voxels = runStart.Length - 1;
        float[] src = cloud.Positions;
        var positions = new float[voxels * 3];
        long[]? batch = cloud.Batch is null ? null : new long[voxels];
        for (int v = 0; v < voxels; v++)
        {
            double x = 0, y = 0, z = 0;
            int from = runStart[v], to = runStart[v + 1];
            for (int k = from; k < to; k++)
            {
                int p = order[k] * 3;
                x += src[p];
                y += src[p + 1];
                z += src[p + 2];
            }

            int count = to - from;
            positions[3 * v] = (float)(x / count);
            positions[(3 * v) + 1] = (float)(y / count);
            positions[(3 * v) + 2] = (float)(z / count);
            if (batch is not null)
            {
                batch[v] = cloud.Batch![order[from]];
            }
        }

        return new PointCloud(positions, voxels, 1, VoxelAttributeReducer.ReduceAll(cloud, order, runStart), batch, cloud.Viewpoint);
    }

    private static void ValidateSize(Vector3 size)
    {
        if (!(size.X > 0 && size.Y > 0 && size.Z > 0) || !float.IsFinite(size.X) || !float.IsFinite(size.Y) || !float.IsFinite(size.Z))
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "voxel size must be finite and > 0 on every axis");
        }
    }
}
