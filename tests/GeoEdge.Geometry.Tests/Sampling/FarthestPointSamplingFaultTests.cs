using GeoEdge.Geometry;
using GeoEdge.Geometry.Sampling;

namespace GeoEdge.Geometry.Tests.Sampling;

[Trait("Category", "Fault")]
public sealed class FarthestPointSamplingFaultTests
{
    [Fact]
    public void A_nan_position_is_rejected_with_its_index()
    {
        var cloud = new PointCloud([0, 0, 0, 1, float.NaN, 1, 2, 2, 2]);

        var error = Assert.Throws<ArgumentException>(() => FarthestPointSampling.Sample(cloud, 2));

        Assert.Contains("point 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_infinite_position_is_rejected()
    {
        var cloud = new PointCloud([0, 0, 0, 1, 1, float.NegativeInfinity]);

        Assert.Throws<ArgumentException>(() => new FarthestPointSampling(ratio: 0.5).Apply(cloud));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_count_below_one_is_rejected(int count)
    {
        var cloud = new PointCloud([0, 0, 0]);

        Assert.Throws<ArgumentOutOfRangeException>(() => FarthestPointSampling.Sample(cloud, count));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FarthestPointSampling(count));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_ratio_outside_zero_to_one_is_rejected(double ratio)
    {
        var cloud = new PointCloud([0, 0, 0]);

        Assert.Throws<ArgumentOutOfRangeException>(() => FarthestPointSampling.Sample(cloud, ratio));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FarthestPointSampling(ratio));
    }

    [Fact]
    public void An_empty_cloud_gives_no_indices()
    {
        Assert.Empty(FarthestPointSampling.Sample(new PointCloud([]), 5));
    }
}
