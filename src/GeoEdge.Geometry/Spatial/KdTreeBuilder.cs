using System.Runtime.InteropServices;

namespace GeoEdge.Geometry.Spatial;

/// <summary>Builds a <see cref="KdTree"/> by median splits (quickselect), the top levels in parallel.</summary>
internal static class KdTreeBuilder
{
    /// <summary>Subtrees larger than this are built on two threads when parallelism allows.</summary>
    private const int ParallelThreshold = 4096;

    public static KdTree Build(ReadOnlySpan<float> positions, int maxDegreeOfParallelism)
    {
        int n = positions.Length / 3;
        var items = new PointItem[n];
        var nodes = new KdNode[n == 0 ? 1 : KdTree.NodeCount(n)];
        var x = new float[n + KdTree.Padding];
        var y = new float[n + KdTree.Padding];
        var z = new float[n + KdTree.Padding];
        var index = new int[n];
        Fill(positions, items, nodes, x, y, z, index, maxDegreeOfParallelism);
        return new KdTree(x, y, z, index, nodes, LeavesOf(nodes, n), n);
    }

    /// <summary>Rebuilds <paramref name="tree"/> over new positions of the same count, in place, on this thread, allocating nothing.</summary>
    /// <remarks>A tree's shape (nodes, leaves) depends on its count only, so only coordinates, bounds and order change.</remarks>
    public static void Rebuild(ReadOnlySpan<float> positions, KdTree tree, PointItem[] items)
    {
        if (positions.Length != tree.Count * 3 || items.Length != tree.Count)
        {
            throw new ArgumentException("a tree is rebuilt only over the same number of points", nameof(positions));
        }

        Fill(positions, items, tree.Nodes, tree.X, tree.Y, tree.Z, tree.Index, 1);
    }

    private static void Fill(ReadOnlySpan<float> positions, PointItem[] items, KdNode[] nodes, float[] x, float[] y, float[] z, int[] index, int maxDegreeOfParallelism)
    {
        int n = items.Length;
        for (int i = 0; i < n; i++)
        {
            items[i] = new PointItem(positions[i * 3], positions[(i * 3) + 1], positions[(i * 3) + 2], i);
        }

        if (n > 0)
        {
            BuildNode(items, nodes, 0, 0, n, maxDegreeOfParallelism > 1 ? maxDegreeOfParallelism : 1);
        }

        for (int s = 0; s < n; s++)
        {
            x[s] = items[s].X;
            y[s] = items[s].Y;
            z[s] = items[s].Z;
            index[s] = items[s].Index;
        }
    }

    /// <summary>Preorder visits a left subtree (lower slots) before the right, so leaves come out in slot order.</summary>
    private static int[] LeavesOf(KdNode[] nodes, int n)
    {
        if (n == 0)
        {
            return [];
        }

        int count = 0;
        foreach (ref readonly KdNode node in nodes.AsSpan())
        {
            count += node.IsLeaf ? 1 : 0;
        }

        var leaves = new int[count];
        int at = 0;
        for (int i = 0; i < nodes.Length; i++)
        {
            if (nodes[i].IsLeaf)
            {
                leaves[at++] = i;
            }
        }

        return leaves;
    }

    private static void BuildNode(PointItem[] items, KdNode[] nodes, int node, int start, int end, int parallelism)
    {
        ref KdNode current = ref nodes[node];
        Bound(items.AsSpan(start, end - start), ref current);
        current.Start = start;
        current.End = end;
        int count = end - start;
        if (count <= KdTree.LeafSize)
        {
            current.Right = 0;
            return;
        }

        int mid = start + (count / 2);
        Span<PointItem> span = items.AsSpan(start, count);
        float ex = current.MaxX - current.MinX, ey = current.MaxY - current.MinY, ez = current.MaxZ - current.MinZ;
        if (ex >= ey && ex >= ez)
        {
            QuickSelect.Select<AxisX>(span, mid - start);
        }
        else if (ey >= ez)
        {
            QuickSelect.Select<AxisY>(span, mid - start);
        }
        else
        {
            QuickSelect.Select<AxisZ>(span, mid - start);
        }

        int left = node + 1;
        int right = left + KdTree.NodeCount(mid - start);
        current.Right = right;
        if (parallelism > 1 && count > ParallelThreshold)
        {
            BuildChildrenInParallel(items, nodes, left, right, start, mid, end, parallelism);
        }
        else
        {
            BuildNode(items, nodes, left, start, mid, 1);
            BuildNode(items, nodes, right, mid, end, 1);
        }
    }

    // Its own method: the lambdas' closure would otherwise be allocated on entry to every BuildNode call, serial ones too.
    private static void BuildChildrenInParallel(PointItem[] items, KdNode[] nodes, int left, int right, int start, int mid, int end, int parallelism)
    {
        int half = parallelism / 2;
        Parallel.Invoke(
            () => BuildNode(items, nodes, left, start, mid, half),
            () => BuildNode(items, nodes, right, mid, end, parallelism - half));
    }

    private static void Bound(ReadOnlySpan<PointItem> items, ref KdNode node)
    {
        float minX = float.PositiveInfinity, minY = float.PositiveInfinity, minZ = float.PositiveInfinity;
        float maxX = float.NegativeInfinity, maxY = float.NegativeInfinity, maxZ = float.NegativeInfinity;
        int minIndex = int.MaxValue;
        foreach (ref readonly PointItem p in items)
        {
            minX = MathF.Min(minX, p.X);
            maxX = MathF.Max(maxX, p.X);
            minY = MathF.Min(minY, p.Y);
            maxY = MathF.Max(maxY, p.Y);
            minZ = MathF.Min(minZ, p.Z);
            maxZ = MathF.Max(maxZ, p.Z);
            minIndex = Math.Min(minIndex, p.Index);
        }

        node.MinX = minX;
        node.MinY = minY;
        node.MinZ = minZ;
        node.MaxX = maxX;
        node.MaxY = maxY;
        node.MaxZ = maxZ;
        node.MinIndex = minIndex;
    }
}

/// <summary>A point being sorted into the tree: coordinates and its index in the example.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct PointItem(float X, float Y, float Z, int Index);
