using System.Text.Json.Nodes;
using GeoEdge.Geometry;
using GeoEdge.Geometry.Filters;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Runtime;
using GeoEdge.Inference.Tests.Models;
using GeoEdge.Testing;

namespace GeoEdge.Inference.Tests.Pipelines;

/// <summary>The point-cloud pipeline end to end on the shipped shapes-dgcnn model: raw cloud in, PyTorch's answer out.</summary>
[Trait("Category", "Integration")]
public sealed class PointCloudClassificationTests
{
    private const double Tolerance = 1e-4;
    private static readonly ShapesReference Reference = ShapesReference.Instance;

    [Fact]
    public void Raw_reference_clouds_give_the_pytorch_logits_label_and_calibrated_top_k()
    {
        using ModelBundle bundle = PipelineBundles.Shipped(ShippedModels.Shapes);
        using var pipeline = new PointCloudClassification(bundle, PipelineBundles.CloudOptions);

        for (int s = 0; s < Reference.Samples; s++)
        {
            CloudClassification c = Classify(pipeline, Reference.Cloud(s));

            AssertClose(Reference.LogitsOf(s), c.Logits);
            double[] p = Softmax(Reference.LogitsOf(s), 1.0);
            int best = ArgMax(p);
            Assert.Equal((best, bundle.Manifest.Labels![best]), (c.Label, c.LabelName));
            Assert.Equal(p[best], c.Confidence, 1e-5);
            Assert.Equal(5, c.TopK.Count);
            Assert.Equal(c.Label, c.TopK[0].Index);
            for (int i = 1; i < c.TopK.Count; i++)
            {
                Assert.True(c.TopK[i - 1].Probability >= c.TopK[i].Probability);
                Assert.Equal(p[c.TopK[i].Index], c.TopK[i].Probability, 5);
            }

            Assert.Equal(("energy", null, false), (c.Ood.Score, c.Ood.Threshold, c.Ood.IsOutOfDistribution));
            Assert.Equal(Energy(Reference.LogitsOf(s), 1.0), c.Ood.Energy, 4);
            Assert.Null(c.Ood.MahalanobisDistance);
            Assert.Equal((Reference.Points, 0, 0), (c.InputPoints, c.DroppedNonFinite, c.RemovedOutliers));
        }
    }

    // Appended copies are never farther than their originals, so farthest-point sampling takes the 1024 originals
    // (in its own order) and the permutation-invariant model answers as for the original cloud.
    [Fact]
    public void A_larger_cloud_is_reduced_by_farthest_point_sampling_to_the_manifest_size()
    {
        using ModelBundle bundle = PipelineBundles.Shipped(ShippedModels.Shapes);
        using var pipeline = new PointCloudClassification(bundle, PipelineBundles.CloudOptions);
        float[] original = Reference.Cloud(3);
        float[] larger = [.. original, .. original.AsSpan(0, 300 * 3)];

        CloudClassification c = Classify(pipeline, larger);

        Assert.Equal(Reference.Points + 300, c.InputPoints);
        AssertClose(Reference.LogitsOf(3), c.Logits);
    }

    [Fact]
    public void A_few_non_finite_points_are_dropped_and_counted()
    {
        using ModelBundle bundle = PipelineBundles.Shipped(ShippedModels.Shapes);
        using var pipeline = new PointCloudClassification(bundle, PipelineBundles.CloudOptions);
        float[] original = Reference.Cloud(1);
        var noisy = new float[original.Length + 30];
        original.CopyTo(noisy, 0);
        noisy.AsSpan(original.Length).Fill(float.NaN);
        noisy[original.Length + 4] = float.PositiveInfinity;

        CloudClassification c = Classify(pipeline, noisy);

        Assert.Equal((Reference.Points + 10, 10), (c.InputPoints, c.DroppedNonFinite));
        AssertClose(Reference.LogitsOf(1), c.Logits);
    }

    [Fact]
    public void Temperature_scales_the_softmax_and_the_energy_threshold_flags_out_of_distribution()
    {
        using ModelBundle shipped = PipelineBundles.Shipped(ShippedModels.Shapes);
        const double T = 2.5;
        double e0 = Energy(Reference.LogitsOf(0), T), e1 = Energy(Reference.LogitsOf(1), T);
        Assert.True(Math.Abs(e0 - e1) > 0.01);
        double threshold = (e0 + e1) / 2;
        using var temp = new TempDirectory();
        using ModelBundle bundle = PipelineBundles.Repacked(ShippedModels.Shapes, temp, spec =>
        {
            spec["calibration"] = new JsonObject { ["temperature"] = T };
            spec["ood"] = new JsonObject { ["score"] = "energy", ["threshold"] = threshold };
        });
        using var pipeline = new PointCloudClassification(bundle, PipelineBundles.CloudOptions);

        for (int s = 0; s < 2; s++)
        {
            CloudClassification c = Classify(pipeline, Reference.Cloud(s));
            double[] p = Softmax(Reference.LogitsOf(s), T);

            Assert.Equal(p[ArgMax(p)], c.Confidence, 1e-5);
            Assert.Equal(Energy(Reference.LogitsOf(s), T), c.Ood.Value, 4);
            Assert.Equal(threshold, c.Ood.Threshold);
            Assert.Equal(Energy(Reference.LogitsOf(s), T) > threshold, c.Ood.IsOutOfDistribution);
        }
    }

    [Theory]
    [InlineData(false, 4.0)]
    [InlineData(true, 0.25)]
    public void Mahalanobis_distance_is_to_the_nearest_class_mean_of_the_embedding(bool inverse, double diagonal)
    {
        int d = Reference.EmbeddingWidth;
        double Expected(int s) => Math.Min(L2(Reference.EmbeddingOf(s), Reference.EmbeddingOf(0)), L2(Reference.EmbeddingOf(s), Reference.EmbeddingOf(1))) / 2;
        double threshold = (Expected(2) + Expected(4)) / 2;
        using var temp = new TempDirectory();
        using ModelBundle bundle = PipelineBundles.Repacked(ShippedModels.Shapes, temp, spec => spec["ood"] = new JsonObject
        {
            ["score"] = "mahalanobis",
            ["threshold"] = threshold,
            ["classMeans"] = new JsonArray(Row(Reference.EmbeddingOf(0)), Row(Reference.EmbeddingOf(1))),
            ["covariance"] = Diagonal(d, diagonal),
            ["covarianceIsInverse"] = inverse,
        });
        using var pipeline = new PointCloudClassification(bundle, PipelineBundles.CloudOptions);

        foreach (int s in new[] { 0, 2, 4 })
        {
            OodAssessment ood = Classify(pipeline, Reference.Cloud(s)).Ood;

            Assert.Equal("mahalanobis", ood.Score);
            Assert.InRange(ood.Value - Expected(s), -1e-3, 1e-3);
            Assert.Equal(ood.Value, ood.MahalanobisDistance);
            Assert.Equal(Expected(s) > threshold, ood.IsOutOfDistribution);
        }
    }

    [Fact]
    public void Outlier_removal_from_the_manifest_runs_before_sampling()
    {
        using var temp = new TempDirectory();
        using ModelBundle bundle = PipelineBundles.Repacked(ShippedModels.Shapes, temp, spec =>
        {
            spec["preprocessing"]!["statisticalOutlierRemoval"] = new JsonObject { ["meanK"] = 8, ["stddevMulThresh"] = 1.0 };
            PipelineBundles.Guards(spec)["allowRepeat"] = true;
        });
        using var pipeline = new PointCloudClassification(bundle, PipelineBundles.CloudOptions);
        float[] cloud = Reference.Cloud(5);
        int kept = StatisticalOutlierRemoval.Inliers(new PointCloud(cloud.ToArray()), 8, 1.0).Length;
        Assert.InRange(kept, 1, Reference.Points - 1);

        CloudClassification c = Classify(pipeline, cloud);

        Assert.Equal(Reference.Points - kept, c.RemovedOutliers);
    }

    [Fact]
    public void The_model_run_allocates_nothing_after_warm_up()
    {
        using ModelBundle bundle = PipelineBundles.Shipped(ShippedModels.Shapes);
        using var pipeline = new PointCloudClassification(bundle, PipelineBundles.CloudOptions);
        Classify(pipeline, Reference.Cloud(0));
        using InferenceLease lease = pipeline.Session.Rent();
        lease.Run();

        long allocated = Allocations.LeastPerRound(Allocations.Rounds, () =>
        {
            for (int i = 0; i < 20; i++)
            {
                lease.Run();
            }
        });

        Assert.Equal(0, allocated);
        AssertClose(Reference.LogitsOf(0), lease.Output<float>(pipeline.Session.OutputIndex("logits")).ToArray());
    }

    internal static CloudClassification Classify(PointCloudClassification pipeline, float[] positions)
    {
        PipelineResult<CloudClassification> result = pipeline.Classify(positions);
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(RejectionReason.None, result.Reason);
        return result.Value!;
    }

    internal static void AssertClose(ReadOnlySpan<float> expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"logit {i}: pipeline {actual[i]}, PyTorch {expected[i]}");
        }
    }

    private static double[] Softmax(ReadOnlySpan<float> logits, double t)
    {
        var p = new double[logits.Length];
        double max = double.NegativeInfinity, sum = 0;
        foreach (float z in logits)
        {
            max = Math.Max(max, z / t);
        }

        for (int i = 0; i < p.Length; i++)
        {
            sum += p[i] = Math.Exp((logits[i] / t) - max);
        }

        for (int i = 0; i < p.Length; i++)
        {
            p[i] /= sum;
        }

        return p;
    }

    private static double Energy(ReadOnlySpan<float> logits, double t)
    {
        double sum = 0;
        foreach (float z in logits)
        {
            sum += Math.Exp(z / t);
        }

        return -t * Math.Log(sum);
    }

    private static int ArgMax(double[] p)
    {
        int best = 0;
        for (int i = 1; i < p.Length; i++)
        {
            best = p[i] > p[best] ? i : best;
        }

        return best;
    }

    private static double L2(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
        }

        return Math.Sqrt(sum);
    }

    private static JsonArray Row(ReadOnlySpan<float> values)
    {
        var row = new JsonArray();
        foreach (float v in values)
        {
            row.Add((double)v);
        }

        return row;
    }

    private static JsonArray Diagonal(int d, double value)
    {
        var m = new JsonArray();
        for (int i = 0; i < d; i++)
        {
            var row = new JsonArray();
            for (int j = 0; j < d; j++)
            {
                row.Add(i == j ? value : 0.0);
            }

            m.Add(row);
        }

        return m;
    }
}
