namespace GeoEdge.Geometry.Spatial;

/// <summary>Exact k-nearest search in a <see cref="KdTree"/> from one of its own points.</summary>
internal static class KdTreeSearch
{
    /// <summary>
    /// Fills <see cref="NeighbourScratch.BestSquared"/>/<see cref="NeighbourScratch.BestIndex"/> with up to
    /// <paramref name="k"/> points of the tree nearest to the point in <paramref name="slot"/>, ordered by
    /// (squared distance, index), and returns how many. Exact: a node is skipped only when its box is farther
    /// than the current worst, or exactly as far and holding no index below the worst's.
    /// </summary>
    public static int Nearest<TKernel>(KdTree tree, int slot, int k, in NeighbourQuery query, NeighbourScratch scratch)
        where TKernel : struct, IDistanceKernel
    {
        float qx = tree.X[slot], qy = tree.Y[slot], qz = tree.Z[slot];
        int self = query.IncludeSelf ? -1 : tree.Index[slot];
        float ceiling = query.Ceiling;
        float[] bestD = scratch.BestSquared;
        int[] bestI = scratch.BestIndex;
        int[] stackNode = scratch.StackNode;
        float[] stackDistance = scratch.StackDistance;
        KdNode[] nodes = tree.Nodes;
        int[] index = tree.Index;
        int worst = KBest.WorstSlot(k);
        int count = 0;
        int top = 1;
        stackNode[0] = 0;
        stackDistance[0] = 0f;
        while (top > 0)
        {
            top--;
            ref readonly KdNode node = ref nodes[stackNode[top]];
            float boxDistance = stackDistance[top];
            bool full = count == k;
            float bound = full ? bestD[worst] : ceiling;
            if (boxDistance > bound || (full && boxDistance == bound && node.MinIndex > bestI[worst]))
            {
                continue;
            }

            if (node.IsLeaf)
            {
                int found = TKernel.Collect(
                    ref tree.X[node.Start], ref tree.Y[node.Start], ref tree.Z[node.Start], node.End - node.Start,
                    qx, qy, qz, bound, ref scratch.LeafSquared[0], ref scratch.LeafSlot[0]);
                for (int t = 0; t < found; t++)
                {
                    int candidate = index[node.Start + scratch.LeafSlot[t]];
                    if (candidate != self)
                    {
                        count = KBest.Add(bestD, bestI, count, k, scratch.LeafSquared[t], candidate);
                    }
                }

                if (query.StopWhenFull && count == k)
                {
                    break;
                }

                continue;
            }

            int left = stackNode[top] + 1;
            int right = node.Right;
            float dl = nodes[left].SquaredDistanceTo(qx, qy, qz);
            float dr = nodes[right].SquaredDistanceTo(qx, qy, qz);
            bool leftFirst = dl < dr || (dl == dr && nodes[left].MinIndex < nodes[right].MinIndex);

            // Far child below near child, so the near one is searched first and tightens the bound.
            stackNode[top] = leftFirst ? right : left;
            stackDistance[top] = leftFirst ? dr : dl;
            stackNode[top + 1] = leftFirst ? left : right;
            stackDistance[top + 1] = leftFirst ? dl : dr;
            top += 2;
        }

        KBest.Finish(bestD, bestI, count, k);
        return count;
    }
}
