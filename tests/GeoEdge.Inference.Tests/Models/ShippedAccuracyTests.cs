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
        long start = Stopwatch.GetTimestamp();
        for (int s = 0; s < samples; s++)
        {
            PipelineResult<CloudClassification> result = pipeline.Classify(pos.AsSpan(s * points * 3, points * 3).ToArray());
            Assert.True(result.IsSuccess, $"sample {s}: {result}");
            correct += result.Value!.Label == labels[s] ? 1 : 0;
            totalUs += result.Value.Timings.TotalUs;
        }

        double accuracy = (double)correct / samples;
        output.WriteLine($"accuracy {accuracy:F4} ({correct}/{samples}), recipe {expected:F4}; {Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s, {totalUs / samples / 1000:F2} ms per cloud");
        Assert.InRange(accuracy, expected - Tolerance, expected + Tolerance);
    }

    private static TrustedKeys Keys => TrustedKeys.FromPemFiles(ShippedModels.DevPublicKey);
}
