using GeoEdge.Geometry;
using GeoEdge.Geometry.Transforms;

namespace GeoEdge.Geometry.Tests.Transforms;

[Trait("Category", "Unit")]
public sealed class RandomRotateTests
{
    [Theory]
    [InlineData(0, 1f, 3f, -2f)]
    [InlineData(1, -3f, 2f, 1f)]
    [InlineData(2, 2f, -1f, 3f)]
    public void A_quarter_turn_uses_pyg_matrices(int axis, float x, float y, float z)
    {
        var cloud = new PointCloud([1, 2, 3]);

        PointCloud rotated = new RandomRotate((90, 90), axis).Apply(cloud);

        Assert.Equal([x, y, z], rotated.Positions);
    }

    [Fact]
    public void Each_example_turns_by_its_own_documented_draw()
    {
        var cloud = new PointCloud([1, 0, 0, 0, 1, 0], 2, 1, batch: [0, 1]);
        var draws = new Random(12);

        PointCloud rotated = new RandomRotate(30, axis: 2, seed: 12).Apply(cloud);

        double first = Math.PI * (-30 + (60 * draws.NextDouble())) / 180;
        double second = Math.PI * (-30 + (60 * draws.NextDouble())) / 180;
        Assert.Equal(
            [(float)Math.Cos(first), (float)-Math.Sin(first), 0, (float)Math.Sin(second), (float)Math.Cos(second), 0],
            rotated.Positions);
    }

    [Fact]
    public void Equal_seeds_repeat_call_for_call_and_other_seeds_differ()
    {
        var cloud = new PointCloud(TestClouds.Positions(20, seed: 1));
        var before = TestClouds.Snapshot(cloud);
        var a = new RandomRotate(180, axis: 1, seed: 5);
        var b = new RandomRotate(180, axis: 1, seed: 5);

        float[] firstA = a.Apply(cloud).Positions, firstB = b.Apply(cloud).Positions;
        float[] secondA = a.Apply(cloud).Positions;

        Assert.Equal(firstA, firstB);
        Assert.Equal(secondA, b.Apply(cloud).Positions);
        Assert.NotEqual(firstA, secondA);
        Assert.NotEqual(firstA, new RandomRotate(180, axis: 1, seed: 6).Apply(cloud).Positions);
        TestClouds.AssertUnchanged(before, cloud);
    }

    [Fact]
    public void ToString_prints_range_axis_and_seed()
    {
        Assert.Equal("RandomRotate((-15, 15), axis=2, seed=7)", new RandomRotate(15, axis: 2, seed: 7).ToString());
        Assert.Equal("RandomRotate((0, 22.5), axis=0, seed=0)", new RandomRotate((0, 22.5)).ToString());
    }

    [Fact]
    [Trait("Category", "Fault")]
    public void Bad_axis_or_range_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomRotate(10, axis: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomRotate((10, -10)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomRotate(double.NaN));
    }
}
