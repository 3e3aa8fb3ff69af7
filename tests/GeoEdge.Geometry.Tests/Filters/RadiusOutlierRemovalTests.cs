using GeoEdge.Geometry.Filters;
using GeoEdge.Geometry.Tests.Graphs;
using GeoEdge.Geometry.Tests.Spatial;

namespace GeoEdge.Geometry.Tests.Filters;

[Trait("Category", "Unit")]
public sealed class RadiusOutlierRemovalTests
{
    public static TheoryData<string> Variants() => KernelVariants.All();

    [Fact]
    public void Hand_checked_line_counts_neighbours_at_exactly_the_radius()
    {
        var cloud = new PointCloud([0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 100, 0, 0]);

        Assert.Equal([0, 1, 2, 3, 4], RadiusOutlierRemoval.Inliers(cloud, 1.0, 0));
        Assert.Equal([0, 1, 2, 3], RadiusOutlierRemoval.Inliers(cloud, 1.0, 1));
        Assert.Equal([1, 2], RadiusOutlierRemoval.Inliers(cloud, 1.0, 2));
        Assert.Equal([1, 2], RadiusOutlierRemoval.Inliers(cloud, 2.0, 3));
        Assert.Empty(RadiusOutlierRemoval.Inliers(cloud, 0.999, 1));
        Assert.Empty(RadiusOutlierRemoval.Inliers(cloud, 1000.0, 5));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Random_and_degenerate_clouds_match_the_pcl_rule(string variant)
    {
        var clouds = new List<(string Name, PointCloud Cloud)>(NeighbourClouds.Zoo()) { ("outliers", PclRules.WithOutliers(1500, 25, 60)) };
        foreach ((string name, PointCloud cloud) in clouds)
        {
            foreach ((double radius, int minPts) in new[] { (0.05, 1), (0.1, 3), (0.3, 10), (1.0, 0), (2.0, 40) })
            {
                int[] expected = PclRules.Radius(cloud, radius, minPts);
                int[] actual = RadiusOutlierRemoval.Inliers(cloud, radius, minPts, KernelVariants.Settings(variant, 2));
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{name} radius={radius} min={minPts}");
            }
        }
    }

    /// <summary>tests/fixtures/pcl/make_fixtures.py ran PCL 1.13's pcl_outlier_removal on this input.</summary>
    [Fact]
    public void Pcl_tool_output_is_reproduced_exactly()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "fixtures", "pcl", "ror");
        PointCloud cloud = AsciiXyzPcd.Read(Path.Combine(folder, "input.pcd"));
        int[] expected = Array.ConvertAll(File.ReadAllLines(Path.Combine(folder, "expected_inliers.txt")), int.Parse);

        int[] actual = RadiusOutlierRemoval.Inliers(cloud, radius: 0.0625, minNeighborsInRadius: 4);

        Assert.Equal("-method radius -radius 0.0625 -min_pts 4", File.ReadAllText(Path.Combine(folder, "params.txt")).Trim());
        Assert.Equal(3100, cloud.Count);
        Assert.Equal(1986, expected.Length);

        // The last 40 points are 8 crosses whose centres have 4 arms at exactly the radius: PCL keeps the centres.
        Assert.Equal([3060, 3065, 3070, 3075, 3080, 3085, 3090, 3095], Array.FindAll(expected, i => i >= 3060));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Apply_keeps_attributes_and_the_transform_prints_its_parameters()
    {
        var cloud = new PointCloud([0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 100, 0, 0], 5, 1, [StatisticalOutlierRemovalTests.Intensities(5)]);
        var filter = new RadiusOutlierRemoval(radius: 1.0, minNeighborsInRadius: 2);

        PointCloud kept = filter.Apply(cloud);

        Assert.Equal([1f, 0, 0, 2, 0, 0], kept.Positions);
        Assert.Equal([10f, 20], kept.FindAttribute("intensity")!.AsSpan<float>().ToArray());
        Assert.Equal(kept.Positions, RadiusOutlierRemoval.Apply(cloud, 1.0, 2).Positions);
        Assert.Equal("RadiusOutlierRemoval(radius=1, min_neighbors=2)", filter.ToString());
        Assert.Equal("RadiusOutlierRemoval(radius=0.05, min_neighbors=5)", new RadiusOutlierRemoval(0.05, 5).ToString());
    }
}
