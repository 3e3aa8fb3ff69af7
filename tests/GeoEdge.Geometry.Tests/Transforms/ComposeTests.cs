using GeoEdge.Geometry;
using GeoEdge.Geometry.Sampling;
using GeoEdge.Geometry.Transforms;

namespace GeoEdge.Geometry.Tests.Transforms;

[Trait("Category", "Unit")]
public sealed class ComposeTests
{
    [Fact]
    public void Applies_each_transform_to_the_previous_result()
    {
        var cloud = new PointCloud(TestClouds.Positions(200, seed: 4));
        var before = TestClouds.Snapshot(cloud);
        var compose = new Compose(new GridSampling(0.5f), new NormalizeScale(), new RandomJitter(sigma: 0.01, seed: 7));

        PointCloud result = compose.Apply(cloud);

        PointCloud expected = new RandomJitter(sigma: 0.01, seed: 7).Apply(new NormalizeScale().Apply(GridSampling.Apply(cloud, 0.5f)));
        Assert.Equal(expected.Positions, result.Positions);
        TestClouds.AssertUnchanged(before, cloud);
    }

    [Fact]
    public void An_empty_compose_returns_a_copy_not_the_input()
    {
        var cloud = new PointCloud([1, 2, 3]);

        PointCloud result = new Compose().Apply(cloud);

        Assert.NotSame(cloud, result);
        Assert.NotSame(cloud.Positions, result.Positions);
        Assert.Equal(cloud.Positions, result.Positions);
    }

    [Fact]
    public void ToString_lists_the_transforms()
    {
        var compose = new Compose(new FarthestPointSampling(count: 1024), new RandomRotate(15, axis: 2, seed: 1));

        Assert.Equal("Compose([FarthestPointSampling(count=1024), RandomRotate((-15, 15), axis=2, seed=1)])", compose.ToString());
        Assert.Equal("Compose([])", new Compose().ToString());
    }
}
