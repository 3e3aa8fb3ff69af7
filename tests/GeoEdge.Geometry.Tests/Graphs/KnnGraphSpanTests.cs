using GeoEdge.Geometry.Graphs;
using GeoEdge.Testing;

namespace GeoEdge.Geometry.Tests.Graphs;

/// <summary>The span overload of KnnGraph.Neighbours: the same rows as the PointCloud overload, and no allocation once warm.</summary>
[Trait("Category", "Unit")]
public sealed class KnnGraphSpanTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(5, false)]
    [InlineData(20, true)]
    [InlineData(60, false)]
    [InlineData(60, true)]
    public void Zoo_clouds_give_the_same_matrix_as_the_cloud_overload(int k, bool loop)
    {
        var workspace = new NeighbourWorkspace();
        foreach ((string name, PointCloud cloud) in NeighbourClouds.Zoo())
        {
            if (cloud.BatchCount > 1)
            {
                continue;
            }

            long[] expected = KnnGraph.Neighbours(cloud, k, loop).Data;
            // Twice: the second call rebuilds the workspace's tree in place.
            for (int round = 0; round < 2; round++)
            {
                long[] actual = new long[cloud.Count * k];
                KnnGraph.Neighbours(cloud.Positions, k, loop, actual, workspace);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{name}, k={k}, loop={loop}, round {round}");
            }
        }
    }

    [Fact]
    public void Random_clouds_of_one_size_reuse_the_workspace_and_match()
    {
        var workspace = new NeighbourWorkspace();
        var graph = new KnnGraph(20);
        for (int seed = 0; seed < 6; seed++)
        {
            PointCloud cloud = NeighbourClouds.Uniform(1024, 100 + seed, seed + 1f);
            long[] actual = new long[1024 * 20];

            graph.Neighbours(cloud.Positions, actual, workspace);

            Assert.Equal(graph.Neighbours(cloud).Data, actual);
        }
    }

    [Fact]
    public void Repeated_calls_on_same_size_clouds_allocate_nothing_after_the_first()
    {
        var workspace = new NeighbourWorkspace();
        float[] first = NeighbourClouds.Uniform(1024, 1).Positions;
        float[] second = NeighbourClouds.Uniform(1024, 2).Positions;
        long[] destination = new long[1024 * 20];
        for (int warm = 0; warm < 3; warm++)
        {
            KnnGraph.Neighbours(first, 20, false, destination, workspace);
        }

        // The least of three rounds: a per-call allocation shows in every round, while the runtime's own one-off work
        // on this thread (a tier-up or OSR compile landing mid-round on a loaded machine, 3 KB once seen) does not repeat.
        long allocated = Allocations.LeastPerRound(Allocations.Rounds, () =>
        {
            KnnGraph.Neighbours(second, 20, false, destination, workspace);
            KnnGraph.Neighbours(first, 20, false, destination, workspace);
        });

        Assert.Equal(0, allocated);
        Assert.Equal(KnnGraph.Neighbours(new PointCloud(first), 20).Data, destination);
    }
}

/// <summary>Bad input to the span overload of KnnGraph.Neighbours.</summary>
[Trait("Category", "Fault")]
public sealed class KnnGraphSpanFaultTests
{
    [Fact]
    public void A_wrong_destination_length_or_a_non_finite_point_throws()
    {
        var workspace = new NeighbourWorkspace();
        float[] positions = [0, 0, 0, 1, 1, 1, float.NaN, 0, 0];

        Assert.Throws<ArgumentException>("destination", () => KnnGraph.Neighbours(positions, 2, false, new long[5], workspace));
        ArgumentException e = Assert.Throws<ArgumentException>("positions", () => KnnGraph.Neighbours(positions, 2, false, new long[6], workspace));
        Assert.Contains("point 2", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("positions", () => KnnGraph.Neighbours(positions.AsSpan(0, 4), 2, false, new long[2], workspace));
    }
}
