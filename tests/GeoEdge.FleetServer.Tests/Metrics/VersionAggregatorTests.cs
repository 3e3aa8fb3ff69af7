using GeoEdge.FleetServer.Metrics;
using static GeoEdge.FleetServer.Tests.Metrics.MetricsFixture;

namespace GeoEdge.FleetServer.Tests.Metrics;

[Trait("Category", "Unit")]
public sealed class VersionAggregatorTests
{
    [Fact]
    public void Two_devices_three_windows()
    {
        var agg = new VersionAggregator("shapes-dgcnn", "1.1.0");
        agg.Add("d1", Window(1));
        agg.Add("d1", Window(2, errors: 0, ood: 0));
        agg.Add("d2", Window(1, inferences: 200, errors: 10, ood: 15, latency: [0, 0, 100, 100]));

        VersionAggregate a = agg.ToAggregate();

        Assert.Equal(3, a.Windows);
        Assert.Equal(2, a.Devices);
        Assert.Equal(400, a.Inferences);
        Assert.Equal(12, a.Errors);
        Assert.Equal(0.03, a.ErrorRate, 12);
        Assert.Equal(20.0 / 400, a.OodRate, 12);
        Assert.Equal([100L, 80, 120, 100], a.LatencyCounts);
        Assert.Equal(50.0, a.P95LatencyMs); // rank 380 of 400 is in the +Inf bucket
        Assert.Equal(20.0 + (30.0 * 20 / 120), a.P50LatencyMs!.Value, 9); // rank 200: 180 below, 20 of 120 into 20-50
        Assert.Equal([0L, 0, 0, 0, 0, 30, 30, 60, 90, 90], a.ConfidenceHistogram);
        Assert.Equal((3L, 0.25, 0.25), (a.DriftWindows, a.DriftScoreMean!.Value, a.DriftScoreMax!.Value));
    }

    [Fact]
    public void Drift_is_the_mean_and_max_over_the_windows_that_carry_a_score()
    {
        var agg = new VersionAggregator("shapes-dgcnn", "1.1.0");
        agg.Add("d1", Window(1) with { DriftScore = 1 });
        agg.Add("d1", Window(2) with { DriftScore = null });
        agg.Add("d2", Window(1) with { DriftScore = 4 });
        var none = new VersionAggregator("sensor-stgnn", "1.0.0");
        none.Add("d1", Window(1) with { DriftScore = null });

        VersionAggregate a = agg.ToAggregate();
        VersionAggregate b = none.ToAggregate();

        Assert.Equal((2L, 2.5, 4.0), (a.DriftWindows, a.DriftScoreMean!.Value, a.DriftScoreMax!.Value));
        Assert.Equal((0L, (double?)null, (double?)null), (b.DriftWindows, b.DriftScoreMean, b.DriftScoreMax));
    }
}
