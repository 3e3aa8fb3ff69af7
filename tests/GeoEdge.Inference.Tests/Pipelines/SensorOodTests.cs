using System.Text.Json.Nodes;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Tests.Models;

namespace GeoEdge.Inference.Tests.Pipelines;

/// <summary>The sensor pipeline's per-window OOD verdict: the score by hand, the verdict flipping at the manifest's threshold,
/// bundles without an ood section, refused sections, and no extra allocation per window.</summary>
public sealed class SensorOodTests : IDisposable
{
    private static readonly string[] Names = ["a", "b", "c"];
    private static readonly SensorReference Reference = SensorReference.Instance;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    // a: mean 10, std 2. b: mean 1024, std 0 -> scale floored to 1% of 1024 = 10.24. c: mean 0, std 0 -> scale 0.01.
    private static DriftReference Tiny => new()
    {
        Features =
        [
            new FeatureStatistics { Name = "a", Mean = 10, Std = 2 },
            new FeatureStatistics { Name = "b", Mean = 1024, Std = 0 },
            new FeatureStatistics { Name = "c", Mean = 0, Std = 0 },
        ],
    };

    [Fact]
    [Trait("Category", "Unit")]
    public void Drift_max_is_the_largest_capped_shift_and_drift_rms_the_root_mean_square_over_the_finite_features()
    {
        SensorOodScore max = SensorOodScore.Create(SensorOodScore.DriftMax, Tiny, Names)!;
        SensorOodScore rms = SensorOodScore.Create(SensorOodScore.DriftRms, Tiny, Names)!;

        // a: |16 - 10| / 2 = 3. b: |1024 - 4 * 10.24 - 1024| / 10.24 = 4. c: |0.005| / 0.01 = 0.5.
        // max 4; rms sqrt((9 + 16 + 0.25) / 3) = sqrt(8.41666...).
        double[] window = [16, 1024 - (4 * 10.24), 0.005];
        Assert.Equal(4, max.Compute(window), 12);
        Assert.Equal(Math.Sqrt(25.25 / 3), rms.Compute(window), 12);

        // c: 1 / 0.01 = 100 -> capped at 10; b NaN skipped: max 10, rms sqrt((9 + 100) / 2).
        double[] capped = [16, double.NaN, 1];
        Assert.Equal(10, max.Compute(capped), 12);
        Assert.Equal(Math.Sqrt(109.0 / 2), rms.Compute(capped), 12);

        // Nothing finite: 0 for both. Features are matched by name, whatever the vector's order.
        Assert.Equal(0, rms.Compute([double.NaN, double.NaN, double.PositiveInfinity]));
        Assert.Equal(3, SensorOodScore.Create(SensorOodScore.DriftMax, Tiny, ["c", "a", "x"])!.Compute([0, 16, 99]), 12);
        Assert.Null(SensorOodScore.Create(SensorOodScore.DriftMax, Tiny, ["x", "y"]));
        Assert.Throws<ArgumentException>(() => SensorOodScore.Create("energy", Tiny, Names));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void The_verdict_flips_at_the_manifest_threshold_and_carries_the_window_score()
    {
        double value;
        using (ModelBundle probe = PipelineBundles.Repacked(ShippedModels.Sensors, _temp, spec => spec["ood"] = Ood(SensorOodScore.DriftMax, 1e9)))
        using (var pipeline = new SensorGraphAnomaly(probe, PipelineBundles.SensorOptions))
        {
            SensorOodVerdict v = Score(pipeline, 0).Ood!.Value;
            Assert.Equal((SensorOodScore.DriftMax, 1e9, false), (v.Score, v.Threshold, v.IsOutOfDistribution));
            value = v.Value;
            Assert.Equal(pipeline.Ood!.Compute(Features(pipeline, Score(pipeline, 0))), value);
        }

        Assert.InRange(value, 0.01, 10);
        Assert.False(Verdict(value).IsOutOfDistribution);                 // at the threshold: kept
        Assert.True(Verdict(Math.BitDecrement(value)).IsOutOfDistribution); // just below it: flagged
        Assert.Equal(value, Verdict(value).Value);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void A_bundle_without_an_ood_section_scores_windows_without_a_verdict()
    {
        using ModelBundle old = PipelineBundles.Repacked(ShippedModels.Sensors, _temp, spec => spec.Remove("ood"));
        using var pipeline = new SensorGraphAnomaly(old, PipelineBundles.SensorOptions);

        SensorWindowScores scores = Score(pipeline, 0);

        Assert.Null(pipeline.Ood);
        Assert.True(double.IsNaN(pipeline.OodThreshold));
        Assert.Null(scores.Ood);
        Assert.Equal(Reference.Scores[0], scores.Sensors[0].Score, 1e-4f);
    }

    [Fact]
    [Trait("Category", "Fault")]
    public void An_unknown_score_or_an_ood_section_without_its_drift_reference_is_refused()
    {
        using ModelBundle energy = PipelineBundles.Repacked(ShippedModels.Sensors, _temp, spec => spec["ood"] = Ood("energy", 1));
        var e = Assert.Throws<PipelineConfigurationException>(() => new SensorGraphAnomaly(energy, PipelineBundles.SensorOptions));
        Assert.Contains("$.ood.score: 'energy' is not a sensor OOD score (drift-max, drift-rms)", e.Message, StringComparison.Ordinal);

        using ModelBundle noDrift = ModelBundle.Open(
            PipelineBundles.RepackedPath(ShippedModels.Sensors, _temp, spec => { spec.Remove("drift"); spec["ood"] = Ood(SensorOodScore.DriftRms, 1); }, output: _temp.File("no-drift")),
            TrustedKeys.FromPemFiles(ShippedModels.DevPublicKey));
        e = Assert.Throws<PipelineConfigurationException>(() => new SensorGraphAnomaly(noDrift, PipelineBundles.SensorOptions));
        Assert.Contains("$.ood: the sensor OOD score standardizes a window's features against the drift section", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void The_verdict_allocates_nothing_a_window_did_not_already_allocate()
    {
        using ModelBundle plain = PipelineBundles.Repacked(ShippedModels.Sensors, _temp, spec => spec.Remove("ood"));
        using ModelBundle judged = ModelBundle.Open(
            PipelineBundles.RepackedPath(ShippedModels.Sensors, _temp, spec => spec["ood"] = Ood(SensorOodScore.DriftMax, 3), output: _temp.File("judged")),
            TrustedKeys.FromPemFiles(ShippedModels.DevPublicKey));
        using var without = new SensorGraphAnomaly(plain, PipelineBundles.SensorOptions);
        using var with = new SensorGraphAnomaly(judged, PipelineBundles.SensorOptions);

        // The least of three rounds: a one-off runtime allocation on the test thread must not decide (see the cloud allocation test).
        long Least(SensorGraphAnomaly pipeline)
        {
            Score(pipeline, 1);
            long least = long.MaxValue;
            for (int round = 0; round < 3; round++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                Score(pipeline, 1);
                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            return least;
        }

        Assert.NotNull(Score(with, 1).Ood);
        Assert.Equal(Least(without), Least(with));
    }

    private SensorOodVerdict Verdict(double threshold)
    {
        using ModelBundle bundle = ModelBundle.Open(
            PipelineBundles.RepackedPath(ShippedModels.Sensors, _temp, spec => spec["ood"] = Ood(SensorOodScore.DriftMax, threshold), output: _temp.File(Guid.NewGuid().ToString("N"))),
            TrustedKeys.FromPemFiles(ShippedModels.DevPublicKey));
        using var pipeline = new SensorGraphAnomaly(bundle, PipelineBundles.SensorOptions);
        SensorOodVerdict v = Score(pipeline, 0).Ood!.Value;
        Assert.Equal(threshold, v.Threshold);
        return v;
    }

    private static SensorWindowScores Score(SensorGraphAnomaly pipeline, int window) =>
        pipeline.ScoreWindow(Reference.Window(window), Reference.Start(window)).Value!;

    private static double[] Features(SensorGraphAnomaly pipeline, SensorWindowScores scores)
    {
        var features = new double[SensorDriftFeatures.Count(pipeline.SensorCount)];
        SensorDriftFeatures.Measure(scores.Sensors, pipeline.Window, features);
        return features;
    }

    private static JsonObject Ood(string score, double threshold) => new() { ["score"] = score, ["threshold"] = threshold };
}
