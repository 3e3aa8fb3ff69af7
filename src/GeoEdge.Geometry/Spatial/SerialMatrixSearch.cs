namespace GeoEdge.Geometry.Spatial;

/// <summary>The kNN search of one example's tree on the calling thread, written as a dense neighbour matrix into a caller's span.</summary>
/// <remarks>
/// Same walk as <see cref="CloudIndex"/> (leaf batches for small k, per-query search otherwise), so the same keys
/// and so the same rows as <c>KnnGraph.Neighbours</c>; no chunks, no Parallel.For and no sink object, for hot paths
/// that must not allocate (a model's 1-2k point input does not need threads).
/// </remarks>
internal static class SerialMatrixSearch
{
    /// <summary>Fills row i of <paramref name="destination"/> ([n, <paramref name="rowWidth"/>]) with point i's neighbours, padded as NeighbourMatrix pads;
    /// <paramref name="k"/> (neighbours searched) is already capped at the tree's count and <paramref name="scratch"/> made for it.</summary>
    public static void Run(KdTree tree, int k, in NeighbourQuery query, NeighbourScratch scratch, Span<long> destination, int rowWidth)
    {
        switch (SimdSelection.Default)
        {
            case SimdVariant.Scalar: Run<ScalarDistanceKernel>(tree, k, query, scratch, destination, rowWidth); break;
            case SimdVariant.Vector128: Run<Vector128DistanceKernel>(tree, k, query, scratch, destination, rowWidth); break;
            case SimdVariant.Vector256: Run<Vector256DistanceKernel>(tree, k, query, scratch, destination, rowWidth); break;
            default: Run<Vector512DistanceKernel>(tree, k, query, scratch, destination, rowWidth); break;
        }
    }

    /// <summary>Whether the leaf-batch search runs for <paramref name="k"/> (as <see cref="CloudIndex"/> decides).</summary>
    public static bool Batched(int k, in NeighbourQuery query) => k <= KBest.SortedLimit && !query.StopWhenFull;

    private static void Run<TKernel>(KdTree tree, int k, in NeighbourQuery query, NeighbourScratch scratch, Span<long> destination, int rowWidth)
        where TKernel : struct, IDistanceKernel
    {
        bool batched = Batched(k, query);
        for (int l = 0; l < tree.Leaves.Length; l++)
        {
            int leaf = tree.Leaves[l];
            int start = tree.Nodes[leaf].Start, end = tree.Nodes[leaf].End;
            if (batched)
            {
                LeafBatchSearch.Search<TKernel>(tree, leaf, k, query, scratch);
                for (int q = 0; q < end - start; q++)
                {
                    int point = tree.Index[start + q];
                    WriteRow(point, scratch.QueryBest[q].AsSpan(1), scratch.QueryCount[q], destination.Slice(point * rowWidth, rowWidth));
                }
            }
            else
            {
                for (int slot = start; slot < end; slot++)
                {
                    int found = KdTreeSearch.Nearest<TKernel>(tree, slot, k, query, scratch);
                    int point = tree.Index[slot];
                    WriteRow(point, scratch.Best, found, destination.Slice(point * rowWidth, rowWidth));
                }
            }
        }
    }

    /// <summary>Nearest first, then the farthest found repeated (or the point itself when none was found).</summary>
    private static void WriteRow(int point, ReadOnlySpan<long> best, int found, Span<long> row)
    {
        for (int t = 0; t < found; t++)
        {
            row[t] = KBest.IndexOf(best[t]);
        }

        row[found..].Fill(found > 0 ? row[found - 1] : point);
    }
}
