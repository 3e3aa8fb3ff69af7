using System.Globalization;
using GeoEdge.Geometry.Spatial;

namespace GeoEdge.Geometry.Graphs;

/// <summary>The k-nearest-neighbour graph of a point cloud, as PyTorch Geometric's <c>knn_graph</c> / <c>KNNGraph</c>.</summary>
/// <remarks>
/// <para>Each point i (the centre, the edge's target for <see cref="GraphFlow.SourceToTarget"/>) gets edges from
/// its k nearest points j by Euclidean distance over <see cref="PointCloud.Positions"/>. Distances are compared
/// as float <c>dx*dx + dy*dy + dz*dz</c>; ties are broken by the lower neighbour index, so the result is one
/// exact, reproducible answer whatever the thread count or SIMD kernel.</para>
/// <para>Order: edges grouped by centre in ascending i; within a centre, nearest first. A batched cloud
/// (<see cref="PointCloud.Batch"/>) is searched one example at a time, never across examples; a point whose
/// example has fewer candidates than k gets fewer edges (no padding, as PyG).</para>
/// <para>loop=false excludes the point itself by index. PyG instead asks for k+1 neighbours and drops self
/// loops, so with duplicate points it can return k+1 edges, or drop a duplicate while keeping the point
/// itself; here a point has exactly min(k, n-1) neighbours, duplicates included on equal footing.</para>
/// <para>Points must be finite: a NaN or infinite coordinate throws <see cref="ArgumentException"/> naming the
/// first such point (run <see cref="PointCloud.RemoveNonFinite"/> first). Instances never change their input.</para>
/// </remarks>
public sealed class KnnGraph
{
    /// <summary>Up to this many points the span overload searches a cell grid (measured faster, see bench/RESULTS.md); above, the KD tree.</summary>
    internal const int GridLimit = 16_384;

    public KnnGraph(int k, bool loop = false, GraphFlow flow = GraphFlow.SourceToTarget)
    {
        Validate(k, flow);
        K = k;
        Loop = loop;
        Flow = flow;
    }

    public int K { get; }

    public bool Loop { get; }

    public GraphFlow Flow { get; }

    /// <summary>Threads a search may use; results are the same for any value.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Builds the edge_index of <paramref name="cloud"/>.</summary>
    public EdgeIndex Build(PointCloud cloud) =>
        Build(cloud, K, Loop, Flow, NeighbourSearchSettings.WithParallelism(MaxDegreeOfParallelism));

    /// <summary>The dense [N,k] neighbour matrix of <paramref name="cloud"/> (see <see cref="NeighbourMatrix"/> for padding).</summary>
    public NeighbourMatrix Neighbours(PointCloud cloud) =>
        Neighbours(cloud, K, Loop, NeighbourSearchSettings.WithParallelism(MaxDegreeOfParallelism));

    public static EdgeIndex Build(PointCloud cloud, int k, bool loop = false, GraphFlow flow = GraphFlow.SourceToTarget) =>
        Build(cloud, k, loop, flow, NeighbourSearchSettings.Default);

    public static NeighbourMatrix Neighbours(PointCloud cloud, int k, bool loop = false) =>
        Neighbours(cloud, k, loop, NeighbourSearchSettings.Default);

    /// <summary>This graph's k and loop over one example's row-major [N,3] <paramref name="positions"/>, into <paramref name="destination"/> ([N,k]).</summary>
    public void Neighbours(ReadOnlySpan<float> positions, Span<long> destination, NeighbourWorkspace workspace) =>
        Neighbours(positions, K, Loop, destination, workspace);

    /// <summary>
    /// The dense [N,k] neighbour matrix of one example given as row-major [N,3] <paramref name="positions"/>, written into
    /// <paramref name="destination"/> (exactly N*k values): the same rows as <see cref="Neighbours(PointCloud, int, bool)"/>.
    /// </summary>
    /// <remarks>Runs on the calling thread; after the first call for a point count and k, reusing <paramref name="workspace"/> allocates nothing.</remarks>
    public static void Neighbours(ReadOnlySpan<float> positions, int k, bool loop, Span<long> destination, NeighbourWorkspace workspace) =>
        Neighbours(positions, k, loop, destination, workspace, SpanSearch.Auto);

    /// <summary>The span overload with the search named (tests and benchmarks compare them); returns the one that ran.</summary>
    internal static SpanSearch Neighbours(ReadOnlySpan<float> positions, int k, bool loop, Span<long> destination, NeighbourWorkspace workspace, SpanSearch search)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (positions.Length % 3 != 0)
        {
            throw new ArgumentException($"{positions.Length} floats is not a whole number of xyz points", nameof(positions));
        }

        int n = positions.Length / 3;
        if ((long)n * k != destination.Length)
        {
            throw new ArgumentException($"an [{n},{k}] neighbour matrix needs {(long)n * k} values, got {destination.Length}", nameof(destination));
        }

        for (int i = 0; i < positions.Length; i++)
        {
            if (!float.IsFinite(positions[i]))
            {
                GeometryThrow.NonFinitePoint(i / 3, nameof(positions));
            }
        }

        if (n == 0)
        {
            return search;
        }

        if (search != SpanSearch.KdTree && (search == SpanSearch.Grid || n <= GridLimit) && workspace.GridOver(positions, search == SpanSearch.Grid) is { } grid)
        {
            GridScratch gridScratch = workspace.GridScratchFor(GridKnnSearch.Wanted(n, k, loop), n);
            GridKnnSearch.Run(grid, k, loop, gridScratch, destination, k);
            return SpanSearch.Grid;
        }

        var query = new NeighbourQuery(k, float.PositiveInfinity, loop);
        int searched = Math.Min(k, n);
        KdTree tree = workspace.TreeOver(positions);
        NeighbourScratch scratch = workspace.ScratchFor(searched, SerialMatrixSearch.Batched(searched, query));
        SerialMatrixSearch.Run(tree, searched, query, scratch, destination, k);
        return SpanSearch.KdTree;
    }

    public override string ToString()
    {
        string text = string.Create(CultureInfo.InvariantCulture, $"KnnGraph(k={K}");
        text += Loop ? ", loop=True" : string.Empty;
        text += Flow == GraphFlow.TargetToSource ? ", flow=target_to_source" : string.Empty;
        return text + ")";
    }

    internal static EdgeIndex Build(PointCloud cloud, int k, bool loop, GraphFlow flow, NeighbourSearchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        Validate(k, flow);
        var layout = FixedDegreeLayout.Create(cloud, k, loop);
        if (layout.EdgeCount * 2 > Array.MaxLength)
        {
            GeometryThrow.TooManyEdges(layout.EdgeCount, nameof(k));
        }

        CloudIndex index = CloudIndex.Build(cloud, settings);
        // Every slot is written by the sink (each point gets exactly its degree), so skip zeroing.
        long[] data = GC.AllocateUninitializedArray<long>((int)(layout.EdgeCount * 2));
        index.Search(new NeighbourQuery(k, float.PositiveInfinity, loop), new KnnEdgeSink(layout, data, flow));
        return new EdgeIndex(data);
    }

    internal static NeighbourMatrix Neighbours(PointCloud cloud, int k, bool loop, NeighbourSearchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        Validate(k, GraphFlow.SourceToTarget);
        if ((long)cloud.Count * k > Array.MaxLength)
        {
            GeometryThrow.TooManyEdges((long)cloud.Count * k, nameof(k));
        }

        CloudIndex index = CloudIndex.Build(cloud, settings);
        long[] data = GC.AllocateUninitializedArray<long>(cloud.Count * k);
        index.Search(new NeighbourQuery(k, float.PositiveInfinity, loop), new NeighbourMatrixSink(data, k));
        return new NeighbourMatrix(data, cloud.Count, k);
    }

    private static void Validate(int k, GraphFlow flow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (flow is not (GraphFlow.SourceToTarget or GraphFlow.TargetToSource))
        {
            throw new ArgumentOutOfRangeException(nameof(flow), flow, "unknown graph flow");
        }
    }
}

/// <summary>Which search the span overload of <see cref="KnnGraph.Neighbours(ReadOnlySpan{float}, int, bool, Span{long}, NeighbourWorkspace)"/> runs.</summary>
internal enum SpanSearch
{
    /// <summary>The cell grid up to <see cref="KnnGraph.GridLimit"/> points when its cells are evenly filled, else the KD tree.</summary>
    Auto,

    /// <summary>The cell grid whenever float arithmetic allows, however uneven (tests of its exactness).</summary>
    Grid,

    /// <summary>The KD tree with leaf batches, the search before the grid.</summary>
    KdTree,
}
