using System.Globalization;
using GeoEdge.Geometry.Spatial;

namespace GeoEdge.Geometry.Graphs;

/// <summary>The radius graph of a point cloud, as PyTorch Geometric's <c>radius_graph</c> / <c>RadiusGraph</c>.</summary>
/// <remarks>
/// <para>Point j is a neighbour of centre i when their squared distance, computed in float as
/// <c>dx*dx + dy*dy + dz*dz</c>, is strictly less than <c>(float)((double)r * r)</c>: torch_cluster's rule
/// (nanoflann's radius result set and the CUDA kernel both test <c>dist &lt; r*r</c>), so a point at exactly
/// distance r is not a neighbour. The radius is a float here; PyG squares a Python double, so
/// pass the same float value to compare bit for bit.</para>
/// <para>At most maxNumNeighbors neighbours per centre are kept: the nearest, ties by lower index. torch_cluster's
/// CPU path keeps the first ones its unsorted tree walk happens to find (and asks for one more when
/// loop=false, then drops the self loop), so when the cap bites the surviving neighbours differ from PyG's;
/// below the cap the edge sets are equal.</para>
/// <para>Order, batches, loop and non-finite points as <see cref="KnnGraph"/>: edges grouped by centre in
/// ascending i, nearest first; no edge crosses examples; loop=false excludes the point itself by index;
/// a NaN or infinite coordinate throws <see cref="ArgumentException"/> naming the first such point.</para>
/// </remarks>
public sealed class RadiusGraph
{
    public RadiusGraph(float r, bool loop = false, int maxNumNeighbors = 32, GraphFlow flow = GraphFlow.SourceToTarget)
    {
        Validate(r, maxNumNeighbors, flow);
        R = r;
        Loop = loop;
        MaxNumNeighbors = maxNumNeighbors;
        Flow = flow;
    }

    public float R { get; }

    public bool Loop { get; }

    public int MaxNumNeighbors { get; }

    public GraphFlow Flow { get; }

    /// <summary>Threads a search may use; results are the same for any value.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Builds the edge_index of <paramref name="cloud"/>.</summary>
    public EdgeIndex Build(PointCloud cloud) =>
        Build(cloud, R, Loop, MaxNumNeighbors, Flow, NeighbourSearchSettings.WithParallelism(MaxDegreeOfParallelism));

    public static EdgeIndex Build(
        PointCloud cloud, float r, bool loop = false, int maxNumNeighbors = 32, GraphFlow flow = GraphFlow.SourceToTarget) =>
        Build(cloud, r, loop, maxNumNeighbors, flow, NeighbourSearchSettings.Default);

    public override string ToString()
    {
        string text = string.Create(CultureInfo.InvariantCulture, $"RadiusGraph(r={R}, max_num_neighbors={MaxNumNeighbors}");
        text += Loop ? ", loop=True" : string.Empty;
        text += Flow == GraphFlow.TargetToSource ? ", flow=target_to_source" : string.Empty;
        return text + ")";
    }

    /// <summary>The largest float squared distance that counts as inside: the one just below (float)(r*r).</summary>
    internal static float Ceiling(float r) => MathF.BitDecrement((float)((double)r * r));

    internal static EdgeIndex Build(
        PointCloud cloud, float r, bool loop, int maxNumNeighbors, GraphFlow flow, NeighbourSearchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        Validate(r, maxNumNeighbors, flow);
        CloudIndex index = CloudIndex.Build(cloud, settings);
        var sink = new RadiusEdgeSink(cloud.Count, index.ChunkCount);
        index.Search(new NeighbourQuery(maxNumNeighbors, Ceiling(r), loop), sink);
        return sink.ToEdgeIndex(flow);
    }

    private static void Validate(float r, int maxNumNeighbors, GraphFlow flow)
    {
        if (!(r >= 0) || float.IsPositiveInfinity(r))
        {
            throw new ArgumentOutOfRangeException(nameof(r), r, "radius must be finite and non-negative");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxNumNeighbors, 1);
        if (flow is not (GraphFlow.SourceToTarget or GraphFlow.TargetToSource))
        {
            throw new ArgumentOutOfRangeException(nameof(flow), flow, "unknown graph flow");
        }
    }
}
