using System.Text.Json.Nodes;
using GeoEdge.Geometry;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Tests.Models;

namespace GeoEdge.Inference.Tests.Pipelines;

/// <summary>Bad clouds come back as typed rejections from the shipped model's guards, never as exceptions.</summary>
[Trait("Category", "Fault")]
public sealed class PointCloudGuardTests : IDisposable
{
    private static readonly ShapesReference Reference = ShapesReference.Instance;
    private readonly ModelBundle _bundle = PipelineBundles.Shipped(ShippedModels.Shapes);
    private readonly PointCloudClassification _pipeline;

    public PointCloudGuardTests()
    {
        _pipeline = new PointCloudClassification(_bundle, PipelineBundles.CloudOptions);
    }

    public void Dispose()
    {
        _pipeline.Dispose();
        _bundle.Dispose();
    }

    [Fact]
    public void Positions_that_are_not_whole_points_are_the_wrong_shape()
    {
        AssertRejected(_pipeline.Classify(new float[(3 * 1024) + 1]), RejectionReason.WrongShape, "3073 floats");
    }

    [Fact]
    public void A_batch_of_clouds_is_the_wrong_shape()
    {
        float[] two = [.. Reference.Cloud(0), .. Reference.Cloud(1)];
        var batch = new long[2 * Reference.Points];
        batch.AsSpan(Reference.Points).Fill(1);

        AssertRejected(_pipeline.Classify(new PointCloud(two, two.Length / 3, 1, batch: batch)), RejectionReason.WrongShape, "batch of 2");
    }

    [Fact]
    public void More_non_finite_points_than_the_guard_allows_reject_the_cloud()
    {
        float[] cloud = Reference.Cloud(0);
        // 52 of 1024 points (5.08 %) against the shipped 5 % allowance; infinities count like NaN.
        for (int i = 0; i < 52; i++)
        {
            cloud[(i * 19 * 3) + 1] = i % 2 == 0 ? float.NaN : float.NegativeInfinity;
        }

        AssertRejected(_pipeline.Classify(cloud), RejectionReason.NonFinitePoints, "52 of 1024");
    }

    [Fact]
    public void Dropping_allowed_non_finite_points_can_leave_too_few()
    {
        float[] cloud = Reference.Cloud(0);
        cloud[0] = float.NaN;

        AssertRejected(_pipeline.Classify(cloud), RejectionReason.TooFewPoints, "1023 usable points");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1023)]
    public void Fewer_points_than_the_model_takes_are_refused_when_the_manifest_does_not_allow_repeating(int points)
    {
        AssertRejected(_pipeline.Classify(Reference.Cloud(0).AsSpan(0, points * 3).ToArray()), RejectionReason.TooFewPoints, $"{points} usable points");
    }

    [Fact]
    public void Fewer_points_are_repeated_when_the_manifest_allows_it()
    {
        using var temp = new TempDirectory();
        using ModelBundle bundle = PipelineBundles.Repacked(ShippedModels.Shapes, temp, spec => PipelineBundles.Guards(spec)["allowRepeat"] = true);
        using var pipeline = new PointCloudClassification(bundle, PipelineBundles.CloudOptions);

        CloudClassification c = PointCloudClassificationTests.Classify(pipeline, Reference.Cloud(0).AsSpan(0, 700 * 3).ToArray());

        Assert.Equal(700, c.InputPoints);
    }

    [Fact]
    public void A_coordinate_outside_the_manifest_bounds_rejects_the_cloud()
    {
        float[] cloud = Reference.Cloud(2);
        cloud[(77 * 3) + 2] = 1e6f;

        AssertRejected(_pipeline.Classify(cloud), RejectionReason.OutOfBounds, "point 77 z = 1000000 not in [-28, 28]");
    }

    [Fact]
    public void Without_bounds_in_the_manifest_any_finite_coordinate_passes()
    {
        using var temp = new TempDirectory();
        using ModelBundle bundle = PipelineBundles.Repacked(ShippedModels.Shapes, temp, spec => ((JsonObject)spec["preprocessing"]!).Remove("bounds"));
        using var pipeline = new PointCloudClassification(bundle, PipelineBundles.CloudOptions);
        float[] cloud = Reference.Cloud(2);
        cloud[(77 * 3) + 2] = 1e6f;

        Assert.True(pipeline.Classify(cloud).IsSuccess);
    }

    [Theory]
    [InlineData(513, false)]
    [InlineData(512, true)]
    public void More_than_half_the_points_repeating_another_is_a_duplicate_flood(int copies, bool accepted)
    {
        float[] cloud = Reference.Cloud(4);
        for (int i = 1; i <= copies; i++)
        {
            cloud.AsSpan(0, 3).CopyTo(cloud.AsSpan(i * 3, 3));
        }

        PipelineResult<CloudClassification> result = _pipeline.Classify(cloud);

        if (accepted)
        {
            Assert.True(result.IsSuccess, result.ToString());
        }
        else
        {
            AssertRejected(result, RejectionReason.DuplicateFlood, $"{copies} of 1024 points repeat another point");
        }
    }

    [Fact]
    public void Negative_zero_and_zero_are_the_same_point_to_the_duplicate_guard()
    {
        float[] cloud = Reference.Cloud(4);
        for (int i = 0; i <= 600; i++)
        {
            cloud.AsSpan(i * 3, 3).Fill(i % 2 == 0 ? 0f : -0f);
        }

        AssertRejected(_pipeline.Classify(cloud), RejectionReason.DuplicateFlood, "600 of 1024");
    }

    private static void AssertRejected(PipelineResult<CloudClassification> result, RejectionReason reason, string detail)
    {
        Assert.False(result.IsSuccess);
        Assert.Null(result.Value);
        Assert.Equal(reason, result.Reason);
        Assert.Contains(detail, result.Rejection!.Detail, StringComparison.Ordinal);
    }
}
