namespace GeoEdge.Geometry.Spatial;

/// <summary>A bucket KD-tree over one example's points, stored as x, y, z arrays in leaf order.</summary>
/// <remarks>
/// Points are reordered so every leaf is one contiguous run of slots: distance kernels stream over it,
/// and queries walked in slot order touch the same nodes one after another. Splits are at the median of
/// the widest axis, ties ordered by point index, so skewed, planar, collinear and all-duplicate clouds
/// all give a balanced tree. Coordinates must be finite (callers check).
/// </remarks>
internal sealed class KdTree
{
    /// <summary>Points per leaf at most; measured faster than 16, 24 and 64 (bench/RESULTS.md).</summary>
    internal const int LeafSize = 32;

    /// <summary>Floats after the last point, so a kernel may load a whole Vector512 at any slot.</summary>
    internal const int Padding = 16;

    internal KdTree(float[] x, float[] y, float[] z, int[] index, KdNode[] nodes, int[] leaves, int count)
    {
        Leaves = leaves;
        X = x;
        Y = y;
        Z = z;
        Index = index;
        Nodes = nodes;
        Count = count;
    }

    /// <summary>x of each slot; <see cref="Count"/> values then <see cref="Padding"/> zeros.</summary>
    public float[] X { get; }

    public float[] Y { get; }

    public float[] Z { get; }

    /// <summary>The point (index within the example) held in each slot.</summary>
    public int[] Index { get; }

    /// <summary>Preorder nodes; node 0 is the root.</summary>
    public KdNode[] Nodes { get; }

    /// <summary>The leaf nodes in slot order: queries are batched and work is split along them.</summary>
    public int[] Leaves { get; }

    public int Count { get; }

    /// <summary>Builds a tree over <paramref name="positions"/> (row-major [n,3], finite).</summary>
    public static KdTree Build(ReadOnlySpan<float> positions, int maxDegreeOfParallelism) =>
        KdTreeBuilder.Build(positions, maxDegreeOfParallelism);

    /// <summary>Nodes a subtree over <paramref name="count"/> points needs (the shape depends on the count only).</summary>
    internal static int NodeCount(int count) =>
        count <= LeafSize ? 1 : 1 + NodeCount(count / 2) + NodeCount(count - (count / 2));
}
