using GeoEdge.Geometry.Filters;
using GeoEdge.Geometry.Tests.Graphs;
using GeoEdge.Geometry.Tests.Spatial;

namespace GeoEdge.Geometry.Tests.Filters;

[Trait("Category", "Unit")]
public sealed class StatisticalOutlierRemovalTests
{
    public static TheoryData<string> Variants() => KernelVariants.All();

    [Fact]
    public void Hand_checked_line_drops_the_far_point()
    {
        // Nearest-other distances 1, 1, 1, 1, 97: mean 20.2, sample stddev sqrt(1843.2) = 42.93.
        var cloud = new PointCloud([0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 100, 0, 0]);

        Assert.Equal([0, 1, 2, 3], StatisticalOutlierRemoval.Inliers(cloud, meanK: 1, stddevMulThresh: 1.0));

        // Threshold 20.2 - 0.5 * 42.93 < 1: every point is above it.
        Assert.Empty(StatisticalOutlierRemoval.Inliers(cloud, meanK: 1, stddevMulThresh: -0.5));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Random_clouds_with_outliers_match_the_pcl_rule(string variant)
    {
        foreach (int meanK in new[] { 1, 8, 20 })
        {
            PointCloud cloud = PclRules.WithOutliers(1500, 25, 40 + meanK);
            int[] expected = PclRules.Statistical(cloud, meanK, 1.0);

            int[] actual = StatisticalOutlierRemoval.Inliers(cloud, meanK, 1.0, KernelVariants.Settings(variant, 2));

            Assert.Equal(expected, actual);
            Assert.All(actual, i => Assert.True(i < 1500, $"outlier {i} kept"));
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Degenerate_and_batched_clouds_match_the_pcl_rule(string variant)
    {
        foreach ((string name, PointCloud cloud) in NeighbourClouds.Zoo())
        {
            foreach (int meanK in new[] { 1, 4, 50 })
            {
                int[] expected = PclRules.Statistical(cloud, meanK, 0.5);
                int[] actual = StatisticalOutlierRemoval.Inliers(cloud, meanK, 0.5, KernelVariants.Settings(variant, 2));
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{name} mean_k={meanK}");
            }
        }
    }

    [Fact]
    public void Batched_examples_are_filtered_with_their_own_statistics()
    {
        PointCloud near = PclRules.WithOutliers(300, 5, 50);
        PointCloud far = new PointCloud(Array.ConvertAll(PclRules.WithOutliers(200, 4, 51).Positions, v => v * 100f));

        int[] batched = StatisticalOutlierRemoval.Inliers(PointCloud.Batched([near, far]), 6, 1.0);

        int[] expected = [.. StatisticalOutlierRemoval.Inliers(near, 6, 1.0), .. Array.ConvertAll(StatisticalOutlierRemoval.Inliers(far, 6, 1.0), i => i + 305)];
        Assert.Equal(expected, batched);
    }

    /// <summary>tests/fixtures/pcl/make_fixtures.py ran PCL 1.13's pcl_outlier_removal on these inputs.</summary>
    [Theory]
    [InlineData("sor", 8, 1.0, 3060, 3004)]
    [InlineData("sor_small", 1, 1.8, 5, 5)] // population stddev would drop point 4; PCL's sample stddev keeps it
    public void Pcl_tool_output_is_reproduced_exactly(string fixture, int meanK, double stddevMul, int points, int kept)
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "fixtures", "pcl", fixture);
        PointCloud cloud = AsciiXyzPcd.Read(Path.Combine(folder, "input.pcd"));
        int[] expected = Array.ConvertAll(File.ReadAllLines(Path.Combine(folder, "expected_inliers.txt")), int.Parse);

        int[] actual = StatisticalOutlierRemoval.Inliers(cloud, meanK, stddevMul);

        string parameters = FormattableString.Invariant($"-method statistical -mean_k {meanK} -std_dev_mul {stddevMul:0.0}");
        Assert.Equal(parameters, File.ReadAllText(Path.Combine(folder, "params.txt")).Trim());
        Assert.Equal(points, cloud.Count);
        Assert.Equal(kept, expected.Length);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Apply_keeps_attributes_and_the_transform_prints_its_parameters()
    {
        var cloud = new PointCloud([0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 100, 0, 0], 5, 1, [Intensities(5)]);
        var filter = new StatisticalOutlierRemoval(meanK: 1, stddevMulThresh: 1.0);

        PointCloud kept = filter.Apply(cloud);

        Assert.Equal([0f, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0], kept.Positions);
        Assert.Equal([0f, 10, 20, 30], kept.FindAttribute("intensity")!.AsSpan<float>().ToArray());
        Assert.Equal(kept.Positions, StatisticalOutlierRemoval.Apply(cloud, 1, 1.0).Positions);
        Assert.Equal("StatisticalOutlierRemoval(mean_k=20, std_mul=2)", new StatisticalOutlierRemoval(20, 2.0).ToString());
        Assert.Equal("StatisticalOutlierRemoval(mean_k=1, std_mul=1)", filter.ToString());
    }

    internal static AttributeChannel Intensities(int n)
    {
        var channel = new AttributeChannel("intensity", ScalarType.Float32, 1, n);
        for (int i = 0; i < n; i++)
        {
            channel.AsSpan<float>()[i] = i * 10f;
        }

        return channel;
    }
}
