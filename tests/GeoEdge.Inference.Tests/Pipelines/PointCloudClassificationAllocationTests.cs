using GeoEdge.Geometry;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Tests.Models;
using GeoEdge.Testing;

namespace GeoEdge.Inference.Tests.Pipelines;

/// <summary>The hot path of the point-cloud pipeline: after warm-up a Classify allocates only its result objects.</summary>
[Trait("Category", "Integration")]
public sealed class PointCloudClassificationAllocationTests
{
    // What remains per call: PipelineResult, CloudClassification, PointCloudTimings, OodAssessment, the
    // ClassProbability[5] top-k and the float[] logits copy: 480 bytes for the 10-class shapes model (measured).
    private const long ResultBound = 1024;

    // Classify(float[]) also wraps the array in a new PointCloud: one small object more.
    private const long ArrayOverloadBound = 1024;
    private static readonly ShapesReference Reference = ShapesReference.Instance;

    [Theory]
    [InlineData(0)]
    [InlineData(1024)]
    public void Classify_after_warm_up_allocates_only_the_result(int extraPoints)
    {
        using ModelBundle bundle = PipelineBundles.Shipped(ShippedModels.Shapes);
        using var pipeline = new PointCloudClassification(bundle, PipelineBundles.CloudOptions);
        float[] original = Reference.Cloud(2);
        float[] raw = [.. original, .. original.AsSpan(0, extraPoints * 3)];
        float[] warm = PointCloudClassificationTests.Classify(pipeline, raw).Logits;
        PointCloudClassificationTests.Classify(pipeline, raw);

        var cloud = new PointCloud(raw);
        pipeline.Classify(cloud);

        // The least of three rounds: a one-off runtime allocation on the test thread (8,200 B once in a fresh-clone run)
        // must not fail the test; an allocation the pipeline makes per call shows in every round.
        CloudClassification c = null!;
        PipelineResult<CloudClassification> fromArrayResult = null!;
        long allocated = Allocations.LeastPerRound(Allocations.Rounds, () => c = pipeline.Classify(cloud).Value!);
        long fromArray = Allocations.LeastPerRound(Allocations.Rounds, () => fromArrayResult = pipeline.Classify(raw));

        Assert.True(allocated < ResultBound, $"{Reference.Points + extraPoints} points: {allocated} bytes per Classify(PointCloud)");
        Assert.True(fromArray < ArrayOverloadBound, $"{Reference.Points + extraPoints} points: {fromArray} bytes per Classify(float[])");
        Assert.True(fromArrayResult.IsSuccess);
        Assert.Equal(warm, fromArrayResult.Value!.Logits);
        Assert.Equal(Reference.Points + extraPoints, c.InputPoints);
        Assert.Equal(warm, c.Logits);
        PointCloudClassificationTests.AssertClose(Reference.LogitsOf(2), c.Logits);
    }
}
