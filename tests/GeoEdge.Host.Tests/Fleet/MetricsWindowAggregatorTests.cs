using GeoEdge.Fleet.Contracts;
using GeoEdge.Host.Fleet;
using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Host.Tests.Fleet;

[Trait("Category", "Unit")]
public sealed class MetricsWindowAggregatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_window_counts_per_model_version_and_the_next_window_starts_at_zero()
    {
        var windows = new MetricsWindowAggregator(T0);
        WindowCounters v1 = windows.For("shapes-dgcnn", "1.0.0");
        WindowCounters v2 = windows.For("shapes-dgcnn", "1.1.0");
        v1.RecordRejection(RejectionReason.TooFewPoints);
        v1.RecordRejection(RejectionReason.TooFewPoints);
        v1.RecordError();
        v2.RecordRejection(RejectionReason.NonFinitePoints);

        IReadOnlyList<MetricsWindow> first = windows.Close(T0.AddMinutes(1));
        v2.RecordError();
        IReadOnlyList<MetricsWindow> second = windows.Close(T0.AddMinutes(2));

        Assert.Equal([("1.0.0", 1L, 2L), ("1.1.0", 0, 1)], first.Select(w => (w.Version, w.Errors, w.Rejections.Values.Sum())));
        Assert.Equal(2L, first[0].Rejections["TooFewPoints"]);
        Assert.Equal((T0, T0.AddMinutes(1)), (first[0].Start, first[0].End));
        MetricsWindow only = Assert.Single(second);
        Assert.Equal(("1.1.0", 1L, 0, T0.AddMinutes(1)), (only.Version, only.Errors, only.Rejections.Count, only.Start));
        Assert.Same(v1, windows.For("shapes-dgcnn", "1.0.0"));
        Assert.Empty(windows.Close(T0.AddMinutes(3)));
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.05, 0)]
    [InlineData(0.1, 1)]
    [InlineData(0.95, 9)]
    [InlineData(1.0, 9)]
    public void Confidence_falls_in_one_of_ten_equal_bins(double confidence, int bin)
    {
        Assert.Equal(bin, WindowCounters.ConfidenceBin(confidence));
    }

    [Theory]
    [InlineData(0.4, 0)]
    [InlineData(1.0, 0)]
    [InlineData(1.5, 1)]
    [InlineData(2000, 10)]
    [InlineData(2000.1, 11)]
    public void Latency_falls_in_the_first_bucket_whose_bound_holds_it(double ms, int bucket)
    {
        Assert.Equal(bucket, WindowCounters.LatencyBucket(ms));
    }
}
