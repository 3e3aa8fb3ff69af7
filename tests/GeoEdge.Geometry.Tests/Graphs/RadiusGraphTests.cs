using GeoEdge.Geometry.Graphs;
using GeoEdge.Geometry.Tests.Spatial;

namespace GeoEdge.Geometry.Tests.Graphs;

[Trait("Category", "Unit")]
public sealed class RadiusGraphTests
{
    public static TheoryData<string> Variants() => KernelVariants.All();

    [Fact]
    public void Points_at_exactly_r_are_not_neighbours_as_in_torch_cluster()
    {
        // 1 and 3 coincide; 0 is at exactly 1 from both, 2 at 2.
        var cloud = new PointCloud([0, 0, 0, 1, 0, 0, 3, 0, 0, 1, 0, 0]);

        EdgeIndex edges = RadiusGraph.Build(cloud, r: 1f);
        EdgeIndex wider = RadiusGraph.Build(cloud, r: 1.0001f, loop: true);

        Assert.Equal([3L, 1], edges.Sources.ToArray());
        Assert.Equal([1L, 3], edges.Targets.ToArray());
        Assert.Equal([0L, 1, 3, 1, 3, 0, 2, 1, 3, 0], wider.Sources.ToArray());
        Assert.Equal([0L, 0, 0, 1, 1, 1, 2, 3, 3, 3], wider.Targets.ToArray());
    }

    [Fact]
    public void The_cap_keeps_the_nearest_neighbours_ties_by_lower_index()
    {
        var cloud = new PointCloud([0, 0, 0, 3, 0, 0, 1, 0, 0, -1, 0, 0, 2, 0, 0]);

        EdgeIndex edges = RadiusGraph.Build(cloud, r: 10f, maxNumNeighbors: 2, flow: GraphFlow.TargetToSource);

        Assert.Equal([0L, 0, 1, 1, 2, 2, 3, 3, 4, 4], edges.Sources.ToArray());
        Assert.Equal([2L, 3, 4, 2, 0, 4, 0, 2, 1, 2], edges.Targets.ToArray());
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_kernel_equals_brute_force_on_every_kind_of_cloud(string variant)
    {
        foreach ((string name, BruteForceNeighbours reference) in NeighbourClouds.CheckedZoo)
        {
            PointCloud cloud = reference.Cloud;
            foreach (float r in new[] { 0f, 0.05f, 0.3f, 1f, 2f, 1e30f })
            {
                foreach (int cap in new[] { 1, 5, 32, 1000 })
                {
                    foreach (bool loop in new[] { false, true })
                    {
                        GraphFlow flow = cap % 2 == 0 ? GraphFlow.SourceToTarget : GraphFlow.TargetToSource;
                        long[] expected = reference.RadiusEdgeIndex(r, loop, cap, flow);
                        EdgeIndex actual = RadiusGraph.Build(cloud, r, loop, cap, flow, KernelVariants.Settings(variant, 2));
                        Assert.True(expected.AsSpan().SequenceEqual(actual.Data), $"{name} r={r} cap={cap} loop={loop}");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Large_cloud_equals_brute_force_with_one_or_two_threads(string variant)
    {
        PointCloud cloud = NeighbourClouds.Uniform(30_000, 14);
        EdgeIndex single = RadiusGraph.Build(cloud, 0.03f, false, 32, GraphFlow.SourceToTarget, KernelVariants.Settings(variant, 1));
        EdgeIndex parallel = RadiusGraph.Build(cloud, 0.03f, false, 32, GraphFlow.SourceToTarget, KernelVariants.Settings(variant, 2));

        Assert.Equal(single.Data, parallel.Data);
        var firstEdge = new int[cloud.Count + 1];
        for (int e = parallel.EdgeCount - 1; e >= 0; e--)
        {
            firstEdge[parallel.Targets[e]] = e;
        }

        var reference = new BruteForceNeighbours(cloud);
        for (int i = 0; i < cloud.Count; i += 331)
        {
            List<int> expected = reference.Radius(i, 0.03f, false, 32);
            int start = expected.Count == 0 ? 0 : firstEdge[i];
            Assert.Equal(expected.ConvertAll(j => (long)j), parallel.Sources.Slice(start, expected.Count).ToArray());
        }
    }

    [Fact]
    public void Batched_cloud_never_connects_examples()
    {
        PointCloud cloud = NeighbourClouds.Batched(5, 50, 1, 50);

        EdgeIndex edges = RadiusGraph.Build(cloud, 2f, maxNumNeighbors: 100);

        Assert.Equal((50 * 49) + (50 * 49), edges.EdgeCount);
        for (int e = 0; e < edges.EdgeCount; e++)
        {
            Assert.Equal(cloud.Batch![edges.Sources[e]], cloud.Batch![edges.Targets[e]]);
        }
    }

    [Fact]
    public void Transform_form_prints_its_parameters()
    {
        PointCloud cloud = NeighbourClouds.Uniform(200, 15);
        var transform = new RadiusGraph(0.1f);

        Assert.Equal(RadiusGraph.Build(cloud, 0.1f).Data, transform.Build(cloud).Data);
        Assert.Equal("RadiusGraph(r=0.1, max_num_neighbors=32)", transform.ToString());
        Assert.Equal(
            "RadiusGraph(r=0.25, max_num_neighbors=8, loop=True, flow=target_to_source)",
            new RadiusGraph(0.25f, loop: true, maxNumNeighbors: 8, flow: GraphFlow.TargetToSource).ToString());
    }
}
