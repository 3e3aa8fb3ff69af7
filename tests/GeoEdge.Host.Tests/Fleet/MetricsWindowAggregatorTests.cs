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

    [Fact]
    public void An_inference_error_counts_as_an_inference_so_the_window_holds_the_servers_error_rate()
    {
        var windows = new MetricsWindowAggregator(T0);
        WindowCounters v1 = windows.For("shapes-dgcnn", "1.0.0");
        v1.RecordError();
        v1.RecordError();

        MetricsWindow only = Assert.Single(windows.Close(T0.AddMinutes(1)));

        // The server refuses errors > inferences and computes the error rate as errors / inferences: 2 of 2 here.
        Assert.Equal((2L, 2L, 0L, 0L), (only.Inferences, only.Errors, only.ConfidenceHistogram.Sum(), only.LatencyCounts.Sum()));
    }

    [Fact]
    public void Anomalies_count_per_sensor_the_windows_that_flagged_it_and_the_windows_that_flagged_any()
    {
        var windows = new MetricsWindowAggregator(T0);
        WindowCounters counters = windows.For("sensor-stgnn", "2.0.0", ["temp_r1", "rh_r1", "temp_r2"]);
        counters.Record(Scores(true, false, true));
        counters.Record(Scores(false, false, true));
        counters.Record(Scores(false, false, false));
        counters.Record(PipelineResult<SensorWindowScores>.Rejected(RejectionReason.UnknownSensor, "x"));

        MetricsWindow first = Assert.Single(windows.Close(T0.AddMinutes(1)));
        counters.Record(Scores(false, true, false));
        MetricsWindow second = Assert.Single(windows.Close(T0.AddMinutes(2)));

        Assert.Equal(new Dictionary<string, long> { ["temp_r1"] = 1, ["temp_r2"] = 2, ["windows"] = 2 }, first.Anomalies);
        Assert.Equal(3, first.Inferences);
        Assert.Equal(new Dictionary<string, long> { ["rh_r1"] = 1, ["windows"] = 1 }, second.Anomalies);
        Assert.Same(counters, windows.For("sensor-stgnn", "2.0.0"));
    }

    [Fact]
    public void Recording_a_sensor_window_or_an_error_allocates_nothing()
    {
        var windows = new MetricsWindowAggregator(T0);
        WindowCounters counters = windows.For("sensor-stgnn", "2.0.0", ["temp_r1", "rh_r1", "temp_r2"]);
        PipelineResult<SensorWindowScores> flagged = Scores(true, false, true);
        PipelineResult<SensorWindowScores> quiet = Scores(false, false, false);
        quiet = PipelineResult<SensorWindowScores>.Success(quiet.Value! with { Ood = new SensorOodVerdict("drift-max", 5, 3, true) });
        counters.Record(flagged);
        counters.Record(quiet);
        counters.RecordError();

        long allocated = Allocations.LeastPerRound(Allocations.Rounds, () =>
        {
            for (int i = 0; i < 1000; i++)
            {
                counters.Record(flagged);
                counters.Record(quiet);
                counters.RecordError();
            }
        });

        Assert.Equal(0, allocated);
        MetricsWindow window = Assert.Single(windows.Close(T0.AddMinutes(1)));
        long flaggedWindows = 1 + (Allocations.Rounds * 1000L); // the warm-up call and 1,000 per round
        Assert.Equal((3 * flaggedWindows, flaggedWindows), (window.Inferences, window.Errors)); // an error counts as an inference
        Assert.Equal(new Dictionary<string, long> { ["temp_r1"] = flaggedWindows, ["temp_r2"] = flaggedWindows, ["windows"] = flaggedWindows }, window.Anomalies);
        Assert.Equal(flaggedWindows, window.OodCount); // the quiet window is out of distribution: one per flagged one
    }

    private static PipelineResult<SensorWindowScores> Scores(params bool[] anomalous)
    {
        string[] names = ["temp_r1", "rh_r1", "temp_r2"];
        var sensors = new SensorScore[anomalous.Length];
        for (int i = 0; i < sensors.Length; i++)
        {
            sensors[i] = new SensorScore(i, names[i], anomalous[i] ? 3 : 0, 1, anomalous[i], 0, SensorImputation.None, 0);
        }

        return PipelineResult<SensorWindowScores>.Success(new SensorWindowScores(T0, sensors, new SensorTimings(5, 6, 700, 9)));
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
