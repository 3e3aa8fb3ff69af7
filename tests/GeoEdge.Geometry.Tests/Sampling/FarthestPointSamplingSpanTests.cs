using GeoEdge.Geometry.Sampling;
using GeoEdge.Testing;

namespace GeoEdge.Geometry.Tests.Sampling;

/// <summary>The span overload of farthest point sampling: Sample's indices, into a caller's span, allocation-free once warm.</summary>
[Trait("Category", "Unit")]
public sealed class FarthestPointSamplingSpanTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(50, 17)]
    [InlineData(2048, 1024)]
    [InlineData(1024, 1024)]
    public void Random_clouds_give_the_indices_of_Sample_without_random_start(int points, int take)
    {
        var workspace = new FarthestPointWorkspace();
        for (int seed = 0; seed < 3; seed++)
        {
            float[] positions = TestClouds.Positions(points, seed, lattice: seed == 2 ? 4 : 0);
            var actual = new int[take];

            FarthestPointSampling.Sample(positions, actual, workspace);

            Assert.Equal(FarthestPointSampling.Sample(new PointCloud(positions), take, randomStart: false), actual);
        }
    }

    [Fact]
    public void A_warm_workspace_allocates_nothing()
    {
        var workspace = new FarthestPointWorkspace();
        float[] large = TestClouds.Positions(2048, 5);
        float[] small = TestClouds.Positions(1500, 6);
        var destination = new int[1024];
        FarthestPointSampling.Sample(large, destination, workspace);

        long allocated = Allocations.LeastPerRound(Allocations.Rounds, () =>
        {
            FarthestPointSampling.Sample(small, destination, workspace);
            FarthestPointSampling.Sample(large, destination, workspace);
        });

        Assert.Equal(0, allocated);
        Assert.Equal(FarthestPointSampling.Sample(new PointCloud(large), 1024, randomStart: false), destination);
    }
}

/// <summary>Bad input to the span overload of farthest point sampling.</summary>
[Trait("Category", "Fault")]
public sealed class FarthestPointSamplingSpanFaultTests
{
    [Fact]
    public void More_indices_than_points_or_a_non_finite_point_throws()
    {
        var workspace = new FarthestPointWorkspace();
        float[] positions = [0, 0, 0, 1, 1, 1, 2, float.PositiveInfinity, 0];

        Assert.Throws<ArgumentOutOfRangeException>("destination", () => FarthestPointSampling.Sample(positions, new int[4], workspace));
        Assert.Throws<ArgumentOutOfRangeException>("destination", () => FarthestPointSampling.Sample(positions, [], workspace));
        ArgumentException e = Assert.Throws<ArgumentException>("positions", () => FarthestPointSampling.Sample(positions, new int[2], workspace));
        Assert.Contains("2", e.Message, StringComparison.Ordinal);
    }
}
