using System.Diagnostics;
using System.Text.Json;
using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using Xunit.Abstractions;

namespace GeoEdge.Inference.Tests.Models;

/// <summary>The C# pipelines on the shipped test splits reach the figures the training recipes report for those splits.</summary>
[Trait("Category", "Integration")]
public sealed class ShippedAccuracyTests(ITestOutputHelper output)
{
    private const double Tolerance = 0.005;

    [Fact]
    public void Point_cloud_pipeline_reaches_the_recipe_accuracy_on_the_shipped_test_split()
    {
        JsonElement report = ShippedModels.TrainingReport(ShippedModels.Shapes);
        double expected = report.GetProperty("shipped_test_accuracy").GetDouble();
        int samples = report.GetProperty("shipped_test_samples").GetInt32();
        Dictionary<string, NpyArray> test = ShippedModels.ReadNpz(ShippedModels.File(ShippedModels.Shapes, "data", "test.npz"), "pos", "label");
        float[] pos = test["pos"].AsSpan<float>().ToArray();
        long[] labels = test["label"].AsSpan<long>().ToArray();
        Assert.Equal(samples, labels.Length);
        int points = test["pos"].Shape[1];

        using ModelBundle bundle = ModelBundle.Open(ShippedModels.Bundle(ShippedModels.Shapes), Keys);
        using var pipeline = new PointCloudClassification(bundle, new() { Session = new() { MaxConcurrency = 1, IntraOpThreads = 1 } });
        int correct = 0;
        double totalUs = 0;
        var stages = new double[7];
        long start = Stopwatch.GetTimestamp();
        for (int s = 0; s < samples; s++)
        {
            PipelineResult<CloudClassification> result = pipeline.Classify(pos.AsSpan(s * points * 3, points * 3).ToArray());
            Assert.True(result.IsSuccess, $"sample {s}: {result}");
            correct += result.Value!.Label == labels[s] ? 1 : 0;
            PointCloudTimings t = result.Value.Timings;
            totalUs += t.TotalUs;
            double[] each = [t.ValidateUs, t.OutlierRemovalUs, t.SamplingUs, t.NormalizeUs, t.KnnUs, t.RunUs, t.PostprocessUs];
            for (int i = 0; i < stages.Length; i++)
            {
                stages[i] += each[i] / samples;
            }
        }

        double accuracy = (double)correct / samples;
        output.WriteLine($"accuracy {accuracy:F4} ({correct}/{samples}), recipe {expected:F4}; {Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s, {totalUs / samples / 1000:F2} ms per cloud");
        output.WriteLine($"mean us per stage (validate, sor, sampling, normalize, knn, run, postprocess): {string.Join(", ", stages.Select(v => v.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.InRange(accuracy, expected - Tolerance, expected + Tolerance);
    }

    [Fact]
    public void Sensor_pipeline_fed_reading_by_reading_reaches_the_reference_rates_on_the_shipped_test_split()
    {
        string model = ShippedModels.Sensors;
        Dictionary<string, NpyArray> test = ShippedModels.ReadNpz(ShippedModels.File(model, "data", "test.npz"), "raw", "kind", "start_s");
        float[] raw = test["raw"].AsSpan<float>().ToArray();
        long[] kind = test["kind"].AsSpan<long>().ToArray();
        long[] startS = test["start_s"].AsSpan<long>().ToArray();
        (int windows, int sensors, int w) = (test["raw"].Shape[0], test["raw"].Shape[1], test["raw"].Shape[2]);
        float[] reference = ReferenceScores(model, windows * sensors);

        using ModelBundle bundle = ModelBundle.Open(ShippedModels.Bundle(model), Keys);
        using var pipeline = new SensorGraphAnomaly(bundle, new() { Session = new() { MaxConcurrency = 1, IntraOpThreads = 1 } });
        Assert.Equal((sensors, w), (pipeline.SensorCount, pipeline.Window));
        var alarms = new bool[windows * sensors];
        var referenceAlarms = new bool[windows * sensors];
        double worst = 0;
        for (int m = 0; m < windows; m++)
        {
            pipeline.Clear();
            DateTimeOffset start = Epoch.AddSeconds(startS[m]);
            for (int s = 0; s < sensors; s++)
            {
                for (int t = 0; t < w; t++)
                {
                    float value = raw[(((m * sensors) + s) * w) + t];
                    if (!float.IsNaN(value))
                    {
                        Assert.Equal(RejectionReason.None, pipeline.Add(s, start + (t * pipeline.SamplingPeriod), value));
                    }
                }
            }

            PipelineResult<SensorWindowScores> result = pipeline.Score(start + ((w - 1) * pipeline.SamplingPeriod));
            Assert.True(result.IsSuccess, result.ToString());
            Assert.Equal(start, result.Value!.WindowStart);
            foreach (SensorScore score in result.Value.Sensors)
            {
                int at = (m * sensors) + score.Index;
                worst = Math.Max(worst, Math.Abs((double)score.Score - reference[at]));
                alarms[at] = score.IsAnomalous;
                referenceAlarms[at] = reference[at] > score.Threshold;
            }
        }

        Assert.True(worst <= 1e-4, $"largest |C# score - reference score| = {worst}");
        JsonElement shipped = ShippedModels.TrainingReport(model).GetProperty("test").GetProperty("shipped_subset");
        Assert.Equal(windows, shipped.GetProperty("windows").GetInt32());
        AssertRate("false-alarm rate vs report", shipped.GetProperty("far").GetDouble(), Rate(alarms, kind, k => k == 0));
        AssertRate("detection rate vs report", shipped.GetProperty("detection").GetDouble(), Rate(alarms, kind, k => k > 0));
        string[] kinds = [.. bundle.Manifest.Dataset.Extensions!["anomalyKinds"].EnumerateArray().Select(e => e.GetString()!)];
        for (int k = 0; k < kinds.Length; k++)
        {
            AssertRate($"{kinds[k]} {(k == 0 ? "false-alarm" : "detection")} rate vs reference", Rate(referenceAlarms, kind, x => x == k), Rate(alarms, kind, x => x == k));
        }

        output.WriteLine($"largest |C# - reference| score {worst:E2}");
    }

    /// <summary>The recipe's data count seconds from 2024-01-01T00:00 local time (start_s).</summary>
    private static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static float[] ReferenceScores(string model, int count)
    {
        using JsonDocument meta = JsonDocument.Parse(File.ReadAllBytes(ShippedModels.File(model, "data", "test-predictions.json")));
        string modelSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(ShippedModels.Onnx(model))));
        string dataSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(ShippedModels.File(model, "data", "test.npz"))));
        Assert.True(meta.RootElement.GetProperty("model_sha256").GetString() == modelSha && meta.RootElement.GetProperty("data_sha256").GetString() == dataSha,
            "data/test-predictions.npz was made for another model or test split: run models/shipped_predictions.py");
        float[] scores = ShippedModels.ReadNpz(ShippedModels.File(model, "data", "test-predictions.npz"), "scores")["scores"].AsSpan<float>().ToArray();
        Assert.Equal(count, scores.Length);
        return scores;
    }

    private static double Rate(bool[] alarms, long[] kind, Func<long, bool> select)
    {
        int n = 0, hits = 0;
        for (int i = 0; i < alarms.Length; i++)
        {
            if (select(kind[i]))
            {
                n++;
                hits += alarms[i] ? 1 : 0;
            }
        }

        Assert.True(n > 0, "no sensor-window of that kind in the split");
        return (double)hits / n;
    }

    private void AssertRate(string what, double expected, double actual)
    {
        output.WriteLine($"{what}: C# {actual:F4}, expected {expected:F4}");
        Assert.True(Math.Abs(actual - expected) <= Tolerance, $"{what}: C# {actual:F4}, expected {expected:F4} (tolerance {Tolerance})");
    }

    private static TrustedKeys Keys => TrustedKeys.FromPemFiles(ShippedModels.DevPublicKey);
}
