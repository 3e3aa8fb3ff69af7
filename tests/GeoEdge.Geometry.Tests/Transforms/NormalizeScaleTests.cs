using GeoEdge.Geometry;
using GeoEdge.Geometry.Transforms;

namespace GeoEdge.Geometry.Tests.Transforms;

[Trait("Category", "Unit")]
public sealed class NormalizeScaleTests
{
    [Fact]
    public void Centres_on_the_mean_and_scales_the_largest_absolute_coordinate_to_0_999999()
    {
        // Mean (1,0,0); centred (-1,0,0) (1,0,0) (0,4,0) (0,-4,0); largest |coordinate| 4.
        var cloud = new PointCloud([0, 0, 0, 2, 0, 0, 1, 4, 0, 1, -4, 0]);
        float s = (1f / 4f) * 0.999999f;

        PointCloud normalized = new NormalizeScale().Apply(cloud);

        Assert.Equal([-s, 0, 0, s, 0, 0, 0, 4 * s, 0, 0, -4 * s, 0], normalized.Positions);
        Assert.Equal(0.999999f, normalized.Positions[7]);
    }

    [Fact]
    public void Uses_the_largest_coordinate_not_the_largest_distance()
    {
        // (3,4,0) lies at distance 5 but its largest coordinate is 4, so it ends outside the unit sphere, as in PyG.
        var cloud = new PointCloud([3, 4, 0, -3, -4, 0]);

        PointCloud normalized = new NormalizeScale().Apply(cloud);

        float s = (1f / 4f) * 0.999999f;
        Assert.Equal([3 * s, 4 * s, 0, -3 * s, -4 * s, 0], normalized.Positions);
    }

    [Fact]
    public void Normalizes_each_example_of_a_batch_on_its_own_and_leaves_the_input_alone()
    {
        var batch = new long[] { 0, 0, 1, 1, 1 };
        var cloud = new PointCloud([10, 0, 0, 12, 0, 0, 5, 5, 5, 5, 5, 5, 5, 5, 5], 5, 1, batch: batch);
        var before = TestClouds.Snapshot(cloud);

        PointCloud normalized = new NormalizeScale().Apply(cloud);

        float s = 0.999999f;
        Assert.Equal([-s, 0, 0, s, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], normalized.Positions);
        Assert.Equal(batch, normalized.Batch);
        TestClouds.AssertUnchanged(before, cloud);
    }

    [Fact]
    public void ToString_is_the_pyg_name()
    {
        Assert.Equal("NormalizeScale()", new NormalizeScale().ToString());
    }
}
