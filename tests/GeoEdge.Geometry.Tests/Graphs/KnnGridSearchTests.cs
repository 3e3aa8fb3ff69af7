using GeoEdge.Geometry.Graphs;
using GeoEdge.Geometry.Spatial;
using GeoEdge.Geometry.Tests.Spatial;

namespace GeoEdge.Geometry.Tests.Graphs;

/// <summary>The cell-grid kNN of the span overload: brute force exactly (ties included), the KD tree's matrices, no allocation once warm.</summary>
[Trait("Category", "Unit")]
public sealed class KnnGridSearchTests
{
    private static readonly int[] Ks = [1, 3, 8, 16, 20, 32, 60];

    public static TheoryData<string> Variants() => KernelVariants.All();

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_kernel_over_the_grid_equals_brute_force_on_every_kind_of_cloud(string variant)
    {
        var workspace = new NeighbourWorkspace();
        foreach ((string name, BruteForceNeighbours reference) in GridClouds.Checked)
        {
            int n = reference.Cloud.Count;
            CellGrid? grid = workspace.GridOver(reference.Cloud.Positions, however: true);
            Assert.NotNull(grid);
            foreach (int k in Ks)
            {
                foreach (bool loop in new[] { false, true })
                {
                    long[] actual = new long[n * k];
                    GridKnnSearch.Run(grid, k, loop, workspace.GridScratchFor(GridKnnSearch.Wanted(n, k, loop), n), actual, k, Enum.Parse<SimdVariant>(variant));
                    Assert.True(Expected(reference, k, loop).AsSpan().SequenceEqual(actual), $"{name} k={k} loop={loop}");
                }
            }
        }
    }

    [Fact]
    public void Tiny_clouds_pad_rows_as_the_kd_tree_does()
    {
        // Three points, k = 5: each row holds its 2 (or 3 with loop) neighbours, then repeats the farthest.
        float[] positions = [0, 0, 0, 2, 0, 0, 0.5f, 0, 0];
        long[] actual = new long[15];

        Assert.Equal(SpanSearch.Grid, KnnGraph.Neighbours(positions, 5, false, actual, new NeighbourWorkspace(), SpanSearch.Grid));
        Assert.Equal([2L, 1, 1, 1, 1, 2, 0, 0, 0, 0, 0, 1, 1, 1, 1], actual);

        Assert.Equal(SpanSearch.Grid, KnnGraph.Neighbours(positions, 5, true, actual, new NeighbourWorkspace(), SpanSearch.Grid));
        Assert.Equal([0L, 2, 1, 1, 1, 1, 2, 0, 0, 0, 2, 0, 1, 1, 1], actual);

        // One point without loop has no neighbour: its row is itself.
        long[] single = new long[3];
        KnnGraph.Neighbours(positions.AsSpan(3, 3), 3, false, single, new NeighbourWorkspace(), SpanSearch.Grid);
        Assert.Equal([0L, 0, 0], single);
    }

    [Theory]
    [InlineData(256, 8, false)]
    [InlineData(1024, 16, false)]
    [InlineData(1024, 32, true)]
    [InlineData(2000, 20, false)]
    [InlineData(4096, 16, false)]
    [InlineData(4096, 32, false)]
    public void The_dispatch_gives_the_kd_tree_matrix_on_uniform_and_scan_clouds(int n, int k, bool loop)
    {
        var workspace = new NeighbourWorkspace();
        foreach (PointCloud cloud in new[] { NeighbourClouds.Uniform(n, n + k), NeighbourClouds.Scan(n, k) })
        {
            long[] expected = new long[n * k], actual = new long[n * k];
            Assert.Equal(SpanSearch.KdTree, KnnGraph.Neighbours(cloud.Positions, k, loop, expected, workspace, SpanSearch.KdTree));

            Assert.Equal(SpanSearch.Grid, KnnGraph.Neighbours(cloud.Positions, k, loop, actual, workspace, SpanSearch.Auto));

            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Uneven_clouds_fall_back_to_the_kd_tree_and_give_the_same_matrix()
    {
        var workspace = new NeighbourWorkspace();
        foreach ((string name, PointCloud cloud, SpanSearch wanted) in new[]
        {
            ("two far clusters", NeighbourClouds.TwoClusters(1000, 3), SpanSearch.KdTree),
            ("all identical", NeighbourClouds.AllSame(1000), SpanSearch.KdTree),
            ("huge coordinates", NeighbourClouds.Huge(300, 4), SpanSearch.KdTree),
            ("axis line", NeighbourClouds.AxisLine(1000, 5), SpanSearch.Grid),
        })
        {
            long[] expected = new long[cloud.Count * 16], actual = new long[cloud.Count * 16];
            KnnGraph.Neighbours(cloud.Positions, 16, false, expected, workspace, SpanSearch.KdTree);

            Assert.True(wanted == KnnGraph.Neighbours(cloud.Positions, 16, false, actual, workspace, SpanSearch.Auto), name);

            Assert.True(expected.AsSpan().SequenceEqual(actual), name);
        }
    }

    [Fact]
    public void Calls_on_same_size_clouds_of_any_shape_allocate_nothing_after_the_first()
    {
        var workspace = new NeighbourWorkspace();
        float[][] clouds =
        [
            NeighbourClouds.Uniform(4096, 1).Positions,
            NeighbourClouds.Scan(4096, 2).Positions,
            NeighbourClouds.Planar(4096, 3).Positions,
            NeighbourClouds.TwoClusters(4096, 4).Positions,
        ];
        long[] destination = new long[4096 * 32];
        foreach (float[] cloud in clouds)
        {
            KnnGraph.Neighbours(cloud, 32, false, destination, workspace);
        }

        // The least of three rounds, as KnnGraphSpanTests: a per-call allocation shows in every round, the runtime's one-off work does not.
        long allocated = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            foreach (float[] cloud in clouds)
            {
                KnnGraph.Neighbours(cloud, 32, false, destination, workspace);
            }

            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, allocated);
        Assert.Equal(KnnGraph.Neighbours(new PointCloud(clouds[^1]), 32).Data, destination);
    }

    /// <summary>Brute force's rows, padded as <see cref="NeighbourMatrix"/> pads.</summary>
    private static long[] Expected(BruteForceNeighbours reference, int k, bool loop)
    {
        int n = reference.Cloud.Count;
        long[] rows = new long[n * k];
        for (int i = 0; i < n; i++)
        {
            List<int> knn = reference.Knn(i, k, loop);
            for (int t = 0; t < k; t++)
            {
                rows[(i * k) + t] = t < knn.Count ? knn[t] : knn.Count > 0 ? knn[^1] : i;
            }
        }

        return rows;
    }
}

/// <summary>The clouds the cell grid is checked on (the zoo plus scan-like surfaces, far clusters, lines, duplicates), with brute-force answers.</summary>
internal static class GridClouds
{
    private static readonly Lazy<(string Name, BruteForceNeighbours Reference)[]> SharedChecked = new(() =>
    [
        .. NeighbourClouds.Zoo().Where(z => z.Cloud.BatchCount == 1 && z.Cloud.Count > 0 && z.Name != "huge")
            .Select(z => (z.Name, new BruteForceNeighbours(z.Cloud))),
        ("scan-1024", new BruteForceNeighbours(NeighbourClouds.Scan(1024, 11))),
        ("two-clusters", new BruteForceNeighbours(NeighbourClouds.TwoClusters(500, 12))),
        ("axis-line", new BruteForceNeighbours(NeighbourClouds.AxisLine(1000, 13))),
        ("all-same-1000", new BruteForceNeighbours(NeighbourClouds.AllSame(1000))),
        ("duplicates-heavy", new BruteForceNeighbours(NeighbourClouds.Duplicates(800, 40, 14))),
        ("tiny-5", new BruteForceNeighbours(NeighbourClouds.Uniform(5, 15))),
        ("tiny-lattice-12", new BruteForceNeighbours(NeighbourClouds.Lattice(12, 2, 16))),
    ]);

    /// <summary>Every cloud the grid is checked on, single examples of at least one point, with brute-force answers built once.</summary>
    public static IReadOnlyList<(string Name, BruteForceNeighbours Reference)> Checked => SharedChecked.Value;
}
