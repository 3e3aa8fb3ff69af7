using System.Numerics;
using GeoEdge.Geometry;
using GeoEdge.Geometry.Sampling;

namespace GeoEdge.Geometry.Tests.Sampling;

[Trait("Category", "Fault")]
public sealed class GridSamplingFaultTests
{
    [Fact]
    public void A_voxel_size_whose_grid_overflows_int64_is_rejected_with_a_clear_message()
    {
        // 1e7 voxels per axis: 1e21 voxels in all, beyond 2^63.
        var cloud = new PointCloud([0, 0, 0, 1, 1, 1]);

        var error = Assert.Throws<ArgumentException>(() => GridSampling.Apply(cloud, 1e-7f));

        Assert.Equal("size", error.ParamName);
        Assert.Contains("too small", error.Message, StringComparison.Ordinal);
        Assert.Contains("overflows the 64-bit voxel index", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_voxel_size_too_small_for_one_axis_is_rejected()
    {
        var cloud = new PointCloud([0, 0, 0, 1e30f, 0, 0]);

        var error = Assert.Throws<ArgumentException>(() => GridSampling.Apply(cloud, 1e-10f));

        Assert.Contains("axis 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_largest_grid_that_fits_is_accepted()
    {
        // 2^20 voxels per axis in x, y and z: 2^60 voxel ids, below 2^63.
        var cloud = new PointCloud([0, 0, 0, 1, 1, 1]);

        PointCloud sampled = GridSampling.Apply(cloud, 1f / (1 << 20));

        Assert.Equal([0f, 0, 0, 1, 1, 1], sampled.Positions);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_size_that_is_not_positive_and_finite_is_rejected(float size)
    {
        var cloud = new PointCloud([0, 0, 0]);

        Assert.Throws<ArgumentOutOfRangeException>(() => GridSampling.Apply(cloud, size));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GridSampling(new Vector3(1, size, 1)));
    }
}
