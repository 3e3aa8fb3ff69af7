using GeoEdge.Geometry.Graphs;
using GeoEdge.Geometry.Tests.Spatial;

namespace GeoEdge.Geometry.Tests.Graphs;

[Trait("Category", "Unit")]
public sealed class KnnGraphTests
{
    public static TheoryData<string> Variants() => KernelVariants.All();

    [Fact]
    public void Hand_checked_cloud_gives_the_exact_edge_index_with_ties_by_lower_index()
    {
        // 1 and 3 coincide; 0 is at distance 1 from both, 2 at distance 2 from both.
        var cloud = new PointCloud([0, 0, 0, 1, 0, 0, 3, 0, 0, 1, 0, 0]);

        EdgeIndex edges = KnnGraph.Build(cloud, k: 2);

        Assert.Equal(8, edges.EdgeCount);
        Assert.Equal([1L, 3, 3, 0, 1, 3, 1, 0], edges.Sources.ToArray());
        Assert.Equal([0L, 0, 1, 1, 2, 2, 3, 3], edges.Targets.ToArray());
        Assert.Equal([.. edges.Sources, .. edges.Targets], edges.Data);
    }

    [Fact]
    public void Target_to_source_swaps_the_rows_and_loop_puts_each_point_first()
    {
        var cloud = new PointCloud([0, 0, 0, 1, 0, 0, 3, 0, 0]);

        EdgeIndex edges = KnnGraph.Build(cloud, k: 2, loop: true, flow: GraphFlow.TargetToSource);

        Assert.Equal([0L, 0, 1, 1, 2, 2], edges.Sources.ToArray());
        Assert.Equal([0L, 1, 1, 0, 2, 1], edges.Targets.ToArray());
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_kernel_equals_brute_force_on_every_kind_of_cloud(string variant)
    {
        foreach ((string name, BruteForceNeighbours reference) in NeighbourClouds.CheckedZoo)
        {
            PointCloud cloud = reference.Cloud;
            foreach (int k in new[] { 1, 3, 16, 60, cloud.Count, cloud.Count + 5 })
            {
                if (k < 1)
                {
                    continue;
                }

                foreach (bool loop in new[] { false, true })
                {
                    foreach (GraphFlow flow in new[] { GraphFlow.SourceToTarget, GraphFlow.TargetToSource })
                    {
                        long[] expected = reference.KnnEdgeIndex(k, loop, flow);
                        EdgeIndex actual = KnnGraph.Build(cloud, k, loop, flow, KernelVariants.Settings(variant, 2));
                        Assert.True(expected.AsSpan().SequenceEqual(actual.Data), $"{name} k={k} loop={loop} flow={flow}");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Large_cloud_rows_equal_brute_force_with_one_or_two_threads(string variant)
    {
        // Big enough for a parallel tree build and many chunks; rows of sampled centres are checked.
        PointCloud cloud = NeighbourClouds.Skewed(40_000, 11);
        EdgeIndex single = KnnGraph.Build(cloud, 16, false, GraphFlow.SourceToTarget, KernelVariants.Settings(variant, 1));
        EdgeIndex parallel = KnnGraph.Build(cloud, 16, false, GraphFlow.SourceToTarget, KernelVariants.Settings(variant, 2));

        Assert.Equal(single.Data, parallel.Data);
        Assert.Equal(40_000 * 16, parallel.EdgeCount);
        var reference = new BruteForceNeighbours(cloud);
        for (int i = 0; i < cloud.Count; i += 397)
        {
            List<int> expected = reference.Knn(i, 16, loop: false);
            Assert.Equal(expected.ConvertAll(j => (long)j), parallel.Sources.Slice(i * 16, 16).ToArray());
            Assert.All(parallel.Targets.Slice(i * 16, 16).ToArray(), t => Assert.Equal(i, t));
        }
    }

    [Fact]
    public void Batched_cloud_never_connects_examples_and_small_examples_get_fewer_edges()
    {
        PointCloud cloud = NeighbourClouds.Batched(3, 1, 4, 30);

        EdgeIndex edges = KnnGraph.Build(cloud, k: 5);

        // Example 0 (one point) has no edges, example 1 (four points) three per point, example 2 five.
        Assert.Equal((4 * 3) + (30 * 5), edges.EdgeCount);
        for (int e = 0; e < edges.EdgeCount; e++)
        {
            Assert.Equal(cloud.Batch![edges.Sources[e]], cloud.Batch![edges.Targets[e]]);
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Neighbour_matrix_is_the_edge_index_reshaped(string variant)
    {
        PointCloud cloud = NeighbourClouds.Duplicates(500, 30, 12);
        var settings = KernelVariants.Settings(variant, 2);

        EdgeIndex edges = KnnGraph.Build(cloud, 8, false, GraphFlow.SourceToTarget, settings);
        NeighbourMatrix matrix = KnnGraph.Neighbours(cloud, 8, false, settings);

        Assert.Equal(500, matrix.Count);
        Assert.Equal(8, matrix.K);
        Assert.Equal(edges.Sources.ToArray(), matrix.Data);
        Assert.Equal(edges.Sources.Slice(8 * 42, 8).ToArray(), matrix.Row(42).ToArray());
    }

    [Fact]
    public void Neighbour_matrix_pads_short_rows_with_the_farthest_neighbour_or_the_point_itself()
    {
        // Example 0: points 0..2 on a line; example 1: the lone point 3.
        PointCloud cloud = PointCloud.Batched([new PointCloud([0, 0, 0, 1, 0, 0, 3, 0, 0]), new PointCloud([9, 9, 9])]);

        NeighbourMatrix matrix = KnnGraph.Neighbours(cloud, k: 4);
        NeighbourMatrix withLoop = KnnGraph.Neighbours(cloud, k: 4, loop: true);

        Assert.Equal([1L, 2, 2, 2, 0, 2, 2, 2, 1, 0, 0, 0, 3, 3, 3, 3], matrix.Data);
        Assert.Equal([0L, 1, 2, 2, 1, 0, 2, 2, 2, 1, 0, 0, 3, 3, 3, 3], withLoop.Data);
    }

    [Fact]
    public void Transform_form_builds_the_same_graph_and_prints_its_parameters()
    {
        PointCloud cloud = NeighbourClouds.Uniform(100, 13);
        var transform = new KnnGraph(k: 6) { MaxDegreeOfParallelism = 1 };

        Assert.Equal(KnnGraph.Build(cloud, 6).Data, transform.Build(cloud).Data);
        Assert.Equal(KnnGraph.Neighbours(cloud, 6).Data, transform.Neighbours(cloud).Data);
        Assert.Equal("KnnGraph(k=6)", transform.ToString());
        Assert.Equal("KnnGraph(k=16, loop=True)", new KnnGraph(16, loop: true).ToString());
        Assert.Equal("KnnGraph(k=3, flow=target_to_source)", new KnnGraph(3, flow: GraphFlow.TargetToSource).ToString());
    }

    [Fact]
    public void Empty_cloud_gives_no_edges_and_an_empty_matrix()
    {
        var cloud = new PointCloud([]);

        Assert.Equal(0, KnnGraph.Build(cloud, 4).EdgeCount);
        Assert.Empty(KnnGraph.Neighbours(cloud, 4).Data);
    }
}
