using System.Runtime.CompilerServices;

namespace GeoEdge.Geometry.Spatial;

/// <summary>Exact k-nearest search in a <see cref="KdTree"/> from one of its own points, bottom-up.</summary>
/// <remarks>
/// The query is a point of the tree, so the search starts in its own leaf and climbs: at each ancestor
/// it searches only the sibling subtree it has not seen, and it stops climbing once the ball of the
/// current worst distance lies inside the subtree's tight box. That test is exact: a point outside the
/// box is at least the gap to the nearest face away on one axis, and float rounding keeps the squared
/// gap a lower bound of its squared distance. Most queries never reach the root.
/// </remarks>
internal static class KdTreeSearch
{
    /// <summary>Deepest tree: 2^40 leaves would need far more points than an array holds.</summary>
    internal const int MaxDepth = 48;

    /// <summary>
    /// Fills <see cref="NeighbourScratch.Best"/> with the <see cref="KBest"/> keys of up to <paramref name="k"/>
    /// points of the tree nearest to the point in <paramref name="slot"/>, ascending, and returns how many. A subtree is skipped only when its box is farther
    /// than the current worst, or exactly as far and holding no index below the worst's.
    /// </summary>
    public static int Nearest<TKernel>(KdTree tree, int slot, int k, in NeighbourQuery query, NeighbourScratch scratch)
        where TKernel : struct, IDistanceKernel
    {
        float qx = tree.X[slot], qy = tree.Y[slot], qz = tree.Z[slot];
        KdNode[] nodes = tree.Nodes;
        int[] path = scratch.Path;
        int depth = 0;
        int node = 0;
        path[0] = 0;
        while (!nodes[node].IsLeaf)
        {
            node = slot < nodes[node + 1].End ? node + 1 : nodes[node].Right;
            path[++depth] = node;
        }

        var state = new SearchState(tree, qx, qy, qz, query.IncludeSelf ? -1 : tree.Index[slot], k, query.Ceiling, scratch);
        ScanLeaf<TKernel>(ref state, in nodes[node]);
        for (int level = depth - 1; level >= 0; level--)
        {
            if (query.StopWhenFull && state.Count == k)
            {
                break;
            }

            int child = path[level + 1];
            float gap = nodes[child].GapInside(qx, qy, qz);
            if (gap * gap > state.Bound)
            {
                break;
            }

            int parent = path[level];
            int sibling = child == parent + 1 ? nodes[parent].Right : parent + 1;
            SearchSubtree<TKernel>(ref state, sibling, query.StopWhenFull);
        }

        KBest.Finish(scratch.Best, state.Count, k);
        return state.Count;
    }

    /// <summary>Depth-first, nearer child first, over the subtree rooted at <paramref name="root"/>.</summary>
    private static void SearchSubtree<TKernel>(ref SearchState state, int root, bool stopWhenFull)
        where TKernel : struct, IDistanceKernel
    {
        KdNode[] nodes = state.Tree.Nodes;
        int[] stackNode = state.Scratch.StackNode;
        float[] stackDistance = state.Scratch.StackDistance;
        stackNode[0] = root;
        stackDistance[0] = nodes[root].SquaredDistanceTo(state.Qx, state.Qy, state.Qz);
        int top = 1;
        while (top > 0)
        {
            top--;
            ref readonly KdNode node = ref nodes[stackNode[top]];
            if (state.Prunes(stackDistance[top], node.MinIndex))
            {
                continue;
            }

            if (node.IsLeaf)
            {
                ScanLeaf<TKernel>(ref state, in node);
                if (stopWhenFull && state.Count == state.K)
                {
                    return;
                }

                continue;
            }

            int left = stackNode[top] + 1;
            int right = node.Right;
            float dl = nodes[left].SquaredDistanceTo(state.Qx, state.Qy, state.Qz);
            float dr = nodes[right].SquaredDistanceTo(state.Qx, state.Qy, state.Qz);
            bool leftFirst = dl < dr || (dl == dr && nodes[left].MinIndex < nodes[right].MinIndex);

            // Far child below near child, so the near one is searched first and tightens the bound.
            stackNode[top] = leftFirst ? right : left;
            stackDistance[top] = leftFirst ? dr : dl;
            stackNode[top + 1] = leftFirst ? left : right;
            stackDistance[top + 1] = leftFirst ? dl : dr;
            top += 2;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScanLeaf<TKernel>(ref SearchState state, in KdNode leaf)
        where TKernel : struct, IDistanceKernel
    {
        KdTree tree = state.Tree;
        NeighbourScratch scratch = state.Scratch;
        int found = TKernel.Collect(
            ref tree.X[leaf.Start], ref tree.Y[leaf.Start], ref tree.Z[leaf.Start], leaf.End - leaf.Start,
            state.Qx, state.Qy, state.Qz, state.Bound, ref scratch.LeafSquared[0], ref scratch.LeafSlot[0]);
        int[] index = tree.Index;
        for (int t = 0; t < found; t++)
        {
            int candidate = index[leaf.Start + scratch.LeafSlot[t]];
            if (candidate != state.Self)
            {
                state.Add(KBest.Key(scratch.LeafSquared[t], candidate));
            }
        }
    }

    /// <summary>One query's position, exclusions and k-best bookkeeping.</summary>
    private struct SearchState(KdTree tree, float qx, float qy, float qz, int self, int k, float ceiling, NeighbourScratch scratch)
    {
        public readonly KdTree Tree = tree;
        public readonly NeighbourScratch Scratch = scratch;
        public readonly float Qx = qx, Qy = qy, Qz = qz;
        public readonly int Self = self;
        public readonly int K = k;
        public int Count;
        private readonly long[] _best = scratch.Best;
        private readonly int _worst = KBest.WorstSlot(k);
        private readonly float _ceiling = ceiling;

        /// <summary>The largest squared distance that can still be accepted.</summary>
        public readonly float Bound => Count == K ? KBest.SquaredDistanceOf(_best[_worst]) : _ceiling;

        /// <summary>
        /// Whether nothing in a box at this squared distance, whose lowest point index is minIndex, can be
        /// accepted: farther than the bound, or (when full) no key below the worst's.
        /// </summary>
        public readonly bool Prunes(float boxDistance, int minIndex) =>
            Count == K ? KBest.Key(boxDistance, minIndex) >= _best[_worst] : boxDistance > _ceiling;

        public void Add(long key) => Count = KBest.Add(_best, Count, K, key);
    }
}
