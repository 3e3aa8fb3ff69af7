using GeoEdge.FleetServer.Metrics;

namespace GeoEdge.FleetServer.Tests.Metrics;

[Trait("Category", "Unit")]
public sealed class LatencyHistogramMergeTests
{
    [Theory]
    [InlineData(0.95, 35.0)] // rank 95 lies halfway into the 20-50 bucket (90 below, 10 in it)
    [InlineData(0.5, 10.0)]  // rank 50 is the top of the first bucket
    [InlineData(0.7, 15.0)]  // rank 70: 20 of 40 into 10-20
    public void Quantiles_interpolate_inside_the_bucket(double q, double expected)
    {
        var merge = new LatencyHistogramMerge();
        merge.Add([10, 20, 50], [50, 40, 10, 0]);

        Assert.Equal(expected, merge.Quantile(q)!.Value, 9);
    }

    [Fact]
    public void The_inf_bucket_answers_the_highest_bound()
    {
        var merge = new LatencyHistogramMerge();
        merge.Add([10, 20, 50], [0, 0, 0, 5]);

        Assert.Equal(50.0, merge.Quantile(0.95));
    }

    [Fact]
    public void Windows_add_up_and_other_bounds_go_to_the_covering_bucket()
    {
        var merge = new LatencyHistogramMerge();
        merge.Add([10, 20, 50], [50, 40, 10, 0]);
        merge.Add([10, 20, 50], [50, 40, 10, 0]);
        merge.Add([5, 15], [2, 3, 4]);

        Assert.Equal([102L, 83, 20, 4], merge.Counts);
        Assert.Equal(209, merge.Total);
    }

    [Fact]
    public void Nothing_observed_has_no_quantile()
    {
        var merge = new LatencyHistogramMerge();
        Assert.Null(merge.Quantile(0.95));
        merge.Add([10], [0, 0]);
        Assert.Null(merge.Quantile(0.95));
    }
}
