namespace GeoEdge.Geometry.Spatial;

/// <summary>Exact k-nearest search for all the points of one leaf at once, each from its own place.</summary>
/// <remarks>
/// <para>The points of a leaf are close together, so they need nearly the same candidate leaves. One
/// top-down walk per leaf finds them, pruning a subtree by its box distance to the leaf's box (a lower
/// bound for every query in the leaf) against the loosest query's worst key; each candidate leaf is then
/// scanned by just the queries its box can still improve, while it is in cache. That replaces the
/// per-query climb and its ~36 node visits (most of the time in <see cref="KdTreeSearch"/>) by one walk
/// per 16-32 queries.</para>
/// <para>Exact like <see cref="KdTreeSearch"/>: a box's distance is computed like a point distance, so float
/// rounding keeps it a lower bound, and a node is skipped only when the key (box distance, lowest index
/// inside) cannot beat a query's worst key: never a point that could enter, and all-duplicate clouds
/// still prune by index. Each query's own leaf is scanned first, to give every bound a start.</para>
/// </remarks>
internal static class LeafBatchSearch
{
    /// <summary>
    /// Fills <see cref="NeighbourScratch.QueryBest"/>[i] (from its slot 1, see <see cref="SortedKeys"/>) with the ascending keys of up to <paramref name="k"/>
    /// (at most <see cref="KBest.SortedLimit"/>) neighbours of the i-th point of leaf <paramref name="leafNode"/>,
    /// and <see cref="NeighbourScratch.QueryCount"/>[i] with how many.
    /// </summary>
    public static void Search<TKernel>(KdTree tree, int leafNode, int k, in NeighbourQuery query, NeighbourScratch scratch)
        where TKernel : struct, IDistanceKernel
    {
        KdNode[] nodes = tree.Nodes;
        KdNode leaf = nodes[leafNode];
        int queries = leaf.End - leaf.Start;
        long[] worst = scratch.QueryWorst;
        int[] counts = scratch.QueryCount;

        // Until a query holds k keys its worst is the ceiling with an index above any real one.
        long open = KBest.Key(query.Ceiling, -1);
        for (int q = 0; q < queries; q++)
        {
            counts[q] = 0;
            worst[q] = open;
            SortedKeys.Reset(scratch.QueryBest[q]);
        }

        for (int q = 0; q < queries; q++)
        {
            Scan<TKernel>(tree, in leaf, leaf.Start + q, q, k, query.IncludeSelf, scratch);
        }

        long groupWorst = Loosest(worst, queries);
        int[] stackNode = scratch.StackNode;
        float[] stackDistance = scratch.StackDistance;
        stackNode[0] = 0;
        stackDistance[0] = 0f;
        int top = 1;
        while (top > 0)
        {
            top--;
            int id = stackNode[top];
            ref readonly KdNode node = ref nodes[id];
            if (KBest.Key(stackDistance[top], node.MinIndex) >= groupWorst)
            {
                continue;
            }

            if (node.IsLeaf)
            {
                if (id != leafNode)
                {
                    ScanCandidate<TKernel>(tree, in node, in leaf, k, query.IncludeSelf, scratch);
                    groupWorst = Loosest(worst, queries);
                }

                continue;
            }

            int left = id + 1;
            int right = node.Right;
            float dl = leaf.SquaredDistanceTo(in nodes[left]);
            float dr = leaf.SquaredDistanceTo(in nodes[right]);
            bool leftFirst = dl <= dr;

            // Far child below near child, so the near one is searched first and tightens the bounds.
            stackNode[top] = leftFirst ? right : left;
            stackDistance[top] = leftFirst ? dr : dl;
            stackNode[top + 1] = leftFirst ? left : right;
            stackDistance[top + 1] = leftFirst ? dl : dr;
            top += 2;
        }
    }

    /// <summary>Scans <paramref name="candidate"/> for each query of <paramref name="leaf"/> whose worst key its box can beat.</summary>
    private static void ScanCandidate<TKernel>(KdTree tree, in KdNode candidate, in KdNode leaf, int k, bool includeSelf, NeighbourScratch scratch)
        where TKernel : struct, IDistanceKernel
    {
        long[] worst = scratch.QueryWorst;
        float[] x = tree.X, y = tree.Y, z = tree.Z;
        int queries = leaf.End - leaf.Start;
        for (int q = 0; q < queries; q++)
        {
            int slot = leaf.Start + q;
            float d = candidate.SquaredDistanceTo(x[slot], y[slot], z[slot]);
            if (KBest.Key(d, candidate.MinIndex) < worst[q])
            {
                Scan<TKernel>(tree, in candidate, slot, q, k, includeSelf, scratch);
            }
        }
    }

    /// <summary>Adds the points of <paramref name="candidate"/> within query q's bound to its k best.</summary>
    private static void Scan<TKernel>(KdTree tree, in KdNode candidate, int slot, int q, int k, bool includeSelf, NeighbourScratch scratch)
        where TKernel : struct, IDistanceKernel
    {
        long[] worst = scratch.QueryWorst;
        float[] leafSquared = scratch.LeafSquared;
        int[] leafSlot = scratch.LeafSlot;
        int found = TKernel.Collect(
            ref tree.X[candidate.Start], ref tree.Y[candidate.Start], ref tree.Z[candidate.Start], candidate.End - candidate.Start,
            tree.X[slot], tree.Y[slot], tree.Z[slot], KBest.SquaredDistanceOf(worst[q]), ref leafSquared[0], ref leafSlot[0]);
        int[] index = tree.Index;
        int self = includeSelf ? -1 : index[slot];
        long[] best = scratch.QueryBest[q];
        int count = scratch.QueryCount[q];
        for (int t = 0; t < found; t++)
        {
            int point = index[candidate.Start + leafSlot[t]];
            if (point != self)
            {
                SortedKeys.Insert(best, KBest.Key(leafSquared[t], point));
                count++;
            }
        }

        // Once full, slot k holds the worst key; before, it is long.MaxValue and the ceiling rules.
        scratch.QueryCount[q] = Math.Min(count, k);
        worst[q] = Math.Min(worst[q], best[k]);
    }

    private static long Loosest(long[] worst, int queries)
    {
        long loosest = worst[0];
        for (int q = 1; q < queries; q++)
        {
            loosest = Math.Max(loosest, worst[q]);
        }

        return loosest;
    }
}
