using System.Text.Json.Nodes;
using GeoEdge.Geometry;
using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Tests.Models;
using GeoEdge.Testing;

namespace GeoEdge.Inference.Tests.Pipelines;

/// <summary>The pipelines' drift monitors on the shipped models, with references of their validation splits: in-distribution
/// streams stay below <see cref="DriftScore.DefaultThreshold"/>, scaled clouds and offset sensors go above it.</summary>
/// <remarks>Expected scores from numpy over the same data and definitions (tests/fixtures/drift/drift_expected.py).</remarks>
[Trait("Category", "Integration")]
public sealed class PipelineDriftTests : IDisposable
{
    // numpy over models/shapes-dgcnn/data/validation.npz: features of each raw cloud (1024 points: no sampling), mean and
    // population std (ddof 0) per feature.
    private static readonly double[] CloudMean = [1024, 0, 10.771780517752648, 9.974623203597158, 0.72054375874236987];
    private static readonly double[] CloudStd = [0, 0, 6.289888043669238, 2.9281978866287974, 0.1070422321241525];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_bundle_without_a_drift_section_has_no_monitor()
    {
        using ModelBundle shapes = PipelineBundles.Repacked(ShippedModels.Shapes, _temp, spec => spec.Remove("drift"));
        using var pipeline = new PointCloudClassification(shapes, PipelineBundles.CloudOptions);

        Assert.Null(pipeline.Drift);
    }

    [Fact]
    public void The_shipped_samples_stay_below_the_threshold_and_the_same_clouds_scaled_x2_exceed_it()
    {
        using ModelBundle bundle = PipelineBundles.Repacked(ShippedModels.Shapes, _temp, spec =>
        {
            spec["drift"] = Drift(CloudDriftFeatures.Names, CloudMean, CloudStd, samples: 120);
            ((JsonObject)spec["preprocessing"]!).Remove("bounds"); // the scaled clouds reach 31.3, beyond the shipped 28
        });
        using var pipeline = new PointCloudClassification(bundle, PipelineBundles.CloudOptions);
        DriftMonitor drift = pipeline.Drift!;
        float[][] samples = Samples();

        foreach (float[] cloud in samples)
        {
            Assert.True(pipeline.Classify(cloud).IsSuccess);
        }

        double inDistribution = drift.TakeWindowScore()!.Value;
        foreach (float[] cloud in samples)
        {
            CloudClassification c = pipeline.Classify([.. cloud.Select(v => 2 * v)]).Value!;
            Assert.Equal(1024, c.Input.Points);
        }

        double scaled = drift.TakeWindowScore()!.Value;

        // numpy: 0.40305446423448743 (centroid_range leads) and 4.212512317100893 (centroid_range: 19.95 against 9.97 +- 2.93).
        Assert.Equal(0.40305446423448743, inDistribution, 9);
        Assert.Equal(4.212512317100893, scaled, 9);
        Assert.True(inDistribution < DriftScore.DefaultThreshold && scaled > DriftScore.DefaultThreshold);
        Assert.Equal(24, drift.Inputs);
    }

    [Fact]
    public void Classify_with_a_drift_monitor_still_allocates_only_its_result()
    {
        using ModelBundle bundle = PipelineBundles.Repacked(ShippedModels.Shapes, _temp, spec => spec["drift"] = Drift(CloudDriftFeatures.Names, CloudMean, CloudStd, samples: 120));
        using var pipeline = new PointCloudClassification(bundle, PipelineBundles.CloudOptions);
        var cloud = new PointCloud(Samples()[0]);
        pipeline.Classify(cloud);
        pipeline.Classify(cloud);

        long allocated = Allocations.LeastPerRound(Allocations.Rounds, () => pipeline.Classify(cloud));

        Assert.True(allocated < 1024, $"{allocated} bytes per Classify (the result objects are under 1 KiB)");
        Assert.Equal(2 + Allocations.Rounds, pipeline.Drift!.Inputs); // the two warm-up calls and one per round
    }

    [Fact]
    public void The_sensor_test_split_stays_below_the_threshold_and_every_sensor_offset_by_3_std_exceeds_it()
    {
        // The shipped model without any drift section (should the shipped spec gain one), to fit the reference here.
        using ModelBundle shipped = ModelBundle.Open(
            PipelineBundles.RepackedPath(ShippedModels.Sensors, _temp, spec => { spec.Remove("drift"); spec.Remove("ood"); }, output: _temp.File("plain")), TrustedKeys.FromPemFiles(ShippedModels.DevPublicKey));
        (float[] validation, long[] validationStart) = Split("validation");
        (float[] test, long[] testStart) = Split("test");
        DriftReference reference;
        float[] offset;
        using (var plain = new SensorGraphAnomaly(shipped, PipelineBundles.SensorOptions))
        {
            Assert.Null(plain.Drift);
            reference = Fit(plain, validation, validationStart);
            offset = Offset(shipped, test, plain.SensorCount, plain.Window);
        }

        using ModelBundle bundle = PipelineBundles.Repacked(ShippedModels.Sensors, _temp, spec => spec["drift"] = Json(reference));
        using var pipeline = new SensorGraphAnomaly(bundle, PipelineBundles.SensorOptions);
        DriftMonitor drift = pipeline.Drift!;
        int size = pipeline.SensorCount * pipeline.Window;

        for (int w = 0; w < testStart.Length; w++)
        {
            Assert.True(pipeline.ScoreWindow(test.AsSpan(w * size, size), SensorReference.Epoch.AddSeconds(testStart[w])).IsSuccess);
        }

        double inDistribution = drift.TakeWindowScore()!.Value;
        for (int w = 0; w < testStart.Length; w++)
        {
            Assert.True(pipeline.ScoreWindow(offset.AsSpan(w * size, size), SensorReference.Epoch.AddSeconds(testStart[w])).IsSuccess);
        }

        double shifted = drift.TakeWindowScore()!.Value;

        // numpy: the validation reference has 45 features (22 sensors x mean, std + missing_fraction); the test split
        // scores 0.1714631875789328, the offset one 4.824607632330328 (vib_lab's mean leads).
        Assert.Equal(45, drift.Features.Count);
        Assert.Equal(160, reference.Samples);
        Assert.Equal(0.1714631875789328, inDistribution, 9);
        Assert.Equal(4.824607632330328, shifted, 9);
        Assert.True(inDistribution < DriftScore.DefaultThreshold && shifted > DriftScore.DefaultThreshold);
    }

    // The first test cloud of each class (what models/shapes-dgcnn/samples/*.pcd hold).
    private static float[][] Samples()
    {
        Dictionary<string, NpyArray> t = ShippedModels.ReadNpz(ShippedModels.File(ShippedModels.Shapes, "data", "test.npz"), "pos", "label");
        ReadOnlySpan<long> labels = t["label"].AsSpan<long>();
        float[] pos = t["pos"].AsSpan<float>().ToArray();
        var samples = new float[12][];
        for (int c = 0; c < samples.Length; c++)
        {
            int first = labels.IndexOf(c);
            samples[c] = pos.AsSpan(first * 1024 * 3, 1024 * 3).ToArray();
        }

        return samples;
    }

    // raw [M,S,T] with the mask applied as NaN, and start_s.
    private static (float[] Raw, long[] Start) Split(string name)
    {
        Dictionary<string, NpyArray> d = ShippedModels.ReadNpz(ShippedModels.File(ShippedModels.Sensors, "data", $"{name}.npz"), "raw", "mask", "start_s");
        float[] raw = d["raw"].AsSpan<float>().ToArray();
        ReadOnlySpan<byte> mask = d["mask"].AsSpan<byte>();
        for (int i = 0; i < raw.Length; i++)
        {
            raw[i] = mask[i] != 0 ? float.NaN : raw[i];
        }

        return (raw, d["start_s"].AsSpan<long>().ToArray());
    }

    // Every sample of sensor s + 3 x the sensor's manifest std (float32, as numpy adds them).
    private static float[] Offset(ModelBundle bundle, float[] raw, int sensors, int window)
    {
        JsonArray specs = JsonNode.Parse(File.ReadAllText(Path.Combine(bundle.Directory, BundleManifest.FileName)))!["preprocessing"]!["sensors"]!.AsArray();
        float[] shifted = (float[])raw.Clone();
        for (int i = 0; i < shifted.Length; i++)
        {
            float std = (float)specs[i / window % sensors]!["std"]!.GetValue<double>();
            shifted[i] += 3f * std;
        }

        return shifted;
    }

    // The calibrate tool's reference, computed here from the same features: mean and population std over the windows, NaN skipped.
    private static DriftReference Fit(SensorGraphAnomaly pipeline, float[] raw, long[] start)
    {
        int size = pipeline.SensorCount * pipeline.Window;
        var names = new string[pipeline.SensorCount];
        for (int s = 0; s < names.Length; s++)
        {
            names[s] = pipeline.SensorName(s);
        }

        string[] featureNames = SensorDriftFeatures.Names(names);
        var rows = new List<double[]>();
        for (int w = 0; w < start.Length; w++)
        {
            SensorWindowScores scores = pipeline.ScoreWindow(raw.AsSpan(w * size, size), SensorReference.Epoch.AddSeconds(start[w])).Value!;
            double[] row = new double[featureNames.Length];
            SensorDriftFeatures.Measure(scores.Sensors, pipeline.Window, row);
            rows.Add(row);
        }

        var features = new List<FeatureStatistics>();
        for (int f = 0; f < featureNames.Length; f++)
        {
            double[] values = [.. rows.Select(r => r[f]).Where(double.IsFinite)];
            double mean = values.Average();
            features.Add(new FeatureStatistics { Name = featureNames[f], Mean = mean, Std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average()) });
        }

        return new DriftReference { Samples = start.Length, Features = features };
    }

    private static JsonObject Json(DriftReference reference) =>
        Drift([.. reference.Features.Select(f => f.Name)], [.. reference.Features.Select(f => f.Mean)], [.. reference.Features.Select(f => f.Std)], reference.Samples!.Value);

    private static JsonObject Drift(IReadOnlyList<string> names, double[] mean, double[] std, long samples)
    {
        var features = new JsonArray();
        for (int f = 0; f < names.Count; f++)
        {
            features.Add((JsonNode)new JsonObject { ["name"] = names[f], ["mean"] = mean[f], ["std"] = std[f] });
        }

        return new JsonObject { ["samples"] = samples, ["features"] = features };
    }
}
