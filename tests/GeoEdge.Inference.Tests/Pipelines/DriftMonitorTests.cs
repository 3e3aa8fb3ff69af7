using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Testing;

namespace GeoEdge.Inference.Tests.Pipelines;

/// <summary>DriftMonitor: name matching, the exact window and gauge scores, the scale floor and cap, and an allocation-free record path.</summary>
[Trait("Category", "Unit")]
public sealed class DriftMonitorTests
{
    private static readonly string[] Names = ["a", "b", "c"];

    // a: mean 10, std 2. b: mean 1024, std 0 -> scale floored to 1% of 1024 = 10.24. c: mean 0, std 0 -> scale 0.01.
    private static DriftReference Reference => new()
    {
        Samples = 50,
        Features =
        [
            new FeatureStatistics { Name = "a", Mean = 10, Std = 2 },
            new FeatureStatistics { Name = "b", Mean = 1024, Std = 0 },
            new FeatureStatistics { Name = "c", Mean = 0, Std = 0 },
        ],
    };

    [Fact]
    public void No_reference_or_no_shared_feature_name_means_no_monitor_and_unknown_reference_features_are_ignored()
    {
        DriftReference other = new() { Features = [new FeatureStatistics { Name = "z", Mean = 0, Std = 1 }] };
        DriftReference mixed = new() { Features = [new FeatureStatistics { Name = "z", Mean = 0, Std = 1 }, new FeatureStatistics { Name = "b", Mean = 1, Std = 1 }] };

        Assert.Null(DriftMonitor.Create(null, Names));
        Assert.Null(DriftMonitor.Create(other, Names));
        Assert.Equal(["b"], DriftMonitor.Create(mixed, Names)!.Features);
    }

    [Fact]
    public void The_window_score_is_the_largest_standardized_mean_shift_and_a_take_starts_a_new_window()
    {
        DriftMonitor monitor = DriftMonitor.Create(Reference, Names)!;

        // a: mean of 13 and 15 = 14 -> |14 - 10| / 2 = 2. b: mean 1034.24 -> 10.24 / 10.24 = 1. c: mean 0 -> 0.
        monitor.Record([13, 1034.24, 0]);
        monitor.Record([15, 1034.24, 0]);

        Assert.Equal(2, monitor.TakeWindowScore()!.Value, 12);
        Assert.Null(monitor.TakeWindowScore());
        Assert.Equal(2, monitor.Inputs);

        // Now b leads: (1024 + 3 * 10.24 - 1024) / 10.24 = 3, a: |11 - 10| / 2 = 0.5.
        monitor.Record([11, 1024 + (3 * 10.24), 0]);
        Assert.Equal(3, monitor.TakeWindowScore()!.Value, 12);
    }

    [Fact]
    public void A_feature_that_never_varied_is_scaled_by_its_floor_and_every_shift_is_capped_at_10()
    {
        DriftMonitor monitor = DriftMonitor.Create(Reference, Names)!;

        // c: reference mean 0, std 0 -> scale 0.01; a live mean of 0.005 is half a scale, 1 would be 100 -> capped.
        monitor.Record([10, 1024, 0.005]);
        double half = monitor.TakeWindowScore()!.Value;
        monitor.Record([10, 1024, 1]);

        Assert.Equal(0.5, half, 12);
        Assert.Equal(DriftScore.MaxShift, monitor.TakeWindowScore());
        Assert.Equal(10.24, DriftScore.Scale(new FeatureStatistics { Name = "b", Mean = -1024, Std = 3 }), 12);
        Assert.Equal(0.01, DriftScore.Scale(new FeatureStatistics { Name = "c", Mean = 0.5, Std = 0 }), 12);
    }

    [Fact]
    public void Non_finite_values_are_skipped_per_feature_and_a_window_of_only_skipped_values_has_no_score()
    {
        DriftMonitor monitor = DriftMonitor.Create(Reference, Names)!;

        monitor.Record([double.NaN, double.NaN, double.PositiveInfinity]);
        Assert.Null(monitor.TakeWindowScore());
        Assert.Null(monitor.Score);

        // a from one input only: 16 -> 3; b's NaN does not drag its mean.
        monitor.Record([16, double.NaN, 0]);
        monitor.Record([double.NaN, 1024, 0]);
        Assert.Equal(3, monitor.TakeWindowScore()!.Value, 12);
    }

    [Fact]
    public void The_gauge_is_the_plain_mean_for_the_first_100_inputs_then_weights_each_new_input_by_one_hundredth()
    {
        DriftMonitor monitor = DriftMonitor.Create(Reference, Names)!;
        for (int i = 0; i < DriftMonitor.GaugeInputs; i++)
        {
            monitor.Record([i % 2 == 0 ? 12 : 16, 1024, 0]); // plain mean 14 -> 2
        }

        double plain = monitor.Score!.Value;
        monitor.Record([114, 1024, 0]); // 14 + (114 - 14) / 100 = 15 -> 2.5
        double weighted = monitor.Score!.Value;
        monitor.TakeWindowScore();

        Assert.Equal(2, plain, 12);
        Assert.Equal(2.5, weighted, 12);
        Assert.Equal(2.5, monitor.Score!.Value, 12); // a window take leaves the gauge alone
    }

    [Fact]
    public void Assess_names_the_feature_with_the_largest_running_shift()
    {
        DriftMonitor monitor = DriftMonitor.Create(Reference, Names)!;

        Assert.Null(monitor.Assess());
        monitor.Record([12, 1024 + (4 * 10.24), 0]); // a: 1, b: 4
        Assert.Equal((4.0, "b"), (Math.Round(monitor.Assess()!.Value.Score, 12), monitor.Assess()!.Value.Feature));
    }

    [Fact]
    public void Record_allocates_nothing()
    {
        DriftMonitor monitor = DriftMonitor.Create(Reference, Names)!;
        double[] features = [11, 1030, 0.001];
        monitor.Record(features);
        _ = monitor.Score;
        _ = monitor.TakeWindowScore();

        double? score = null;
        long allocated = Allocations.LeastPerRound(Allocations.Rounds, () =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                monitor.Record(features);
            }

            score = monitor.Score;
        });

        Assert.Equal(0, allocated);
        Assert.Equal(6 / 10.24, monitor.TakeWindowScore()!.Value, 12); // b: 6 / 10.24 leads a's 0.5 and c's 0.1
        Assert.NotNull(score);
    }

    [Fact]
    public void A_feature_vector_of_another_length_is_a_programmer_error()
    {
        DriftMonitor monitor = DriftMonitor.Create(Reference, Names)!;

        ArgumentException e = Assert.Throws<ArgumentException>(() => monitor.Record([1, 2]));

        Assert.Contains("2 features; the pipeline defines 3", e.Message, StringComparison.Ordinal);
    }
}
