namespace GeoEdge.Geometry.Spatial;

/// <summary>One thread's working memory for searches, allocated once per worker, never per point.</summary>
internal sealed class NeighbourScratch
{
    /// <summary>Deeper than any tree: depth is about log2(n / LeafSize) and each level pushes two nodes.</summary>
    private const int StackCapacity = 256;

    /// <param name="capacity">k, the most neighbours one query keeps.</param>
    /// <param name="batched">Whether <see cref="LeafBatchSearch"/> runs (k small): then one k-best per leaf point.</param>
    public NeighbourScratch(int capacity, bool batched)
    {
        QueryBest = new long[batched ? KdTree.LeafSize : 0][];
        for (int q = 0; q < QueryBest.Length; q++)
        {
            QueryBest[q] = new long[SortedKeys.Length(Math.Max(capacity, 1))];
        }

        Best = new long[Math.Max(capacity, 1)];
        Neighbours = new int[Math.Max(capacity, 1)];
        Squared = new float[Math.Max(capacity, 1)];
    }

    /// <summary>The k best so far as <see cref="KBest"/> keys.</summary>
    public long[] Best { get; }

    /// <summary>Cloud indices handed to a sink.</summary>
    public int[] Neighbours { get; }

    /// <summary>Squared distances handed to a sink.</summary>
    public float[] Squared { get; }

    /// <summary>Per point of the current leaf: its k best keys (<see cref="SortedKeys"/>), how many, and its worst key (the bound).</summary>
    public long[][] QueryBest { get; }

    public int[] QueryCount { get; } = new int[KdTree.LeafSize];

    public long[] QueryWorst { get; } = new long[KdTree.LeafSize];

    public int[] StackNode { get; } = new int[StackCapacity];

    /// <summary>Root-to-leaf node path of the current query.</summary>
    public int[] Path { get; } = new int[KdTreeSearch.MaxDepth];

    public float[] StackDistance { get; } = new float[StackCapacity];

    public float[] LeafSquared { get; } = new float[KdTree.LeafSize + KdTree.Padding];

    public int[] LeafSlot { get; } = new int[KdTree.LeafSize + KdTree.Padding];
}
