namespace GeoEdge.Geometry.Spatial;

/// <summary>The spatial index of a whole cloud: one <see cref="KdTree"/> per example and the work split into chunks.</summary>
/// <remarks>
/// Examples of a batched cloud get separate trees, so no search ever crosses from one example to another.
/// Work is cut into chunks of consecutive whole leaves of one tree (spatially close queries), run by
/// Parallel.For
/// with one <see cref="NeighbourScratch"/> per worker. Results do not depend on the thread count or kernel.
/// </remarks>
internal sealed class CloudIndex
{
    /// <summary>Queries per unit of parallel work: large enough to amortize scheduling, small enough to balance two cores.</summary>
    internal const int ChunkSize = 512;

    private readonly KdTree?[] _trees;
    private readonly int[] _exampleStart;
    private readonly Chunk[] _chunks;
    private readonly NeighbourSearchSettings _settings;

    private CloudIndex(KdTree?[] trees, int[] exampleStart, Chunk[] chunks, int largestExample, NeighbourSearchSettings settings)
    {
        _trees = trees;
        _exampleStart = exampleStart;
        _chunks = chunks;
        LargestExample = largestExample;
        _settings = settings;
    }

    public int ChunkCount => _chunks.Length;

    public int LargestExample { get; }

    /// <summary>Indexes <paramref name="cloud"/>; throws <see cref="ArgumentException"/> naming the first non-finite point.</summary>
    public static CloudIndex Build(PointCloud cloud, NeighbourSearchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MaxDegreeOfParallelism, 1, nameof(settings));
        int bad = FirstNonFinite(cloud.Positions);
        if (bad >= 0)
        {
            GeometryThrow.NonFinitePoint(bad, nameof(cloud));
        }

        int examples = cloud.BatchCount;
        var trees = new KdTree?[examples];
        var starts = new int[examples];
        var ends = new int[examples];
        int largest = 0;
        for (int e = 0; e < examples; e++)
        {
            (starts[e], ends[e]) = cloud.BatchRange(e);
            largest = Math.Max(largest, ends[e] - starts[e]);
        }

        float[] positions = cloud.Positions;
        int dop = settings.MaxDegreeOfParallelism;
        if (examples == 1 || dop == 1)
        {
            for (int e = 0; e < examples; e++)
            {
                trees[e] = BuildTree(positions, starts[e], ends[e], dop);
            }
        }
        else
        {
            Parallel.For(0, examples, new ParallelOptions { MaxDegreeOfParallelism = dop }, e => trees[e] = BuildTree(positions, starts[e], ends[e], 1));
        }

        return new CloudIndex(trees, starts, Split(trees), largest, settings);
    }

    /// <summary>Cuts every tree into chunks of whole leaves, about <see cref="ChunkSize"/> slots each.</summary>
    private static Chunk[] Split(KdTree?[] trees)
    {
        var chunks = new List<Chunk>();
        for (int e = 0; e < trees.Length; e++)
        {
            KdTree? tree = trees[e];
            if (tree is null)
            {
                continue;
            }

            int first = 0;
            for (int l = 0; l < tree.Leaves.Length; l++)
            {
                ref readonly KdNode leaf = ref tree.Nodes[tree.Leaves[l]];
                if (leaf.End - tree.Nodes[tree.Leaves[first]].Start >= ChunkSize || l == tree.Leaves.Length - 1)
                {
                    chunks.Add(new Chunk(e, first, l + 1));
                    first = l + 1;
                }
            }
        }

        return [.. chunks];
    }

    /// <summary>Runs <paramref name="query"/> for every point and hands each result to <paramref name="sink"/>.</summary>
    public void Search(NeighbourQuery query, INeighbourSink sink)
    {
        switch (_settings.Simd)
        {
            case SimdVariant.Scalar: Search<ScalarDistanceKernel>(query, sink); break;
            case SimdVariant.Vector128: Search<Vector128DistanceKernel>(query, sink); break;
            case SimdVariant.Vector256: Search<Vector256DistanceKernel>(query, sink); break;
            default: Search<Vector512DistanceKernel>(query, sink); break;
        }
    }

    private void Search<TKernel>(NeighbourQuery query, INeighbourSink sink)
        where TKernel : struct, IDistanceKernel
    {
        // No example can supply more than its own points, so K beyond that only wastes scratch.
        int k = Math.Min(query.K, LargestExample);
        if (k <= 0 || _chunks.Length == 0)
        {
            EmitEmpty(sink);
            return;
        }

        // Leaf batches keep one k-best per leaf point, so only for the small sorted k; counting stops per query.
        bool batched = k <= KBest.SortedLimit && !query.StopWhenFull;
        int dop = _settings.MaxDegreeOfParallelism;
        if (dop == 1 || _chunks.Length == 1)
        {
            var scratch = new NeighbourScratch(k, batched);
            for (int c = 0; c < _chunks.Length; c++)
            {
                RunChunk<TKernel>(c, k, batched, query, sink, scratch);
            }

            return;
        }

        Parallel.For(
            0,
            _chunks.Length,
            new ParallelOptions { MaxDegreeOfParallelism = dop },
            () => new NeighbourScratch(k, batched),
            (c, _, scratch) =>
            {
                RunChunk<TKernel>(c, k, batched, query, sink, scratch);
                return scratch;
            },
            _ => { });
    }

    private void RunChunk<TKernel>(int c, int k, bool batched, in NeighbourQuery query, INeighbourSink sink, NeighbourScratch scratch)
        where TKernel : struct, IDistanceKernel
    {
        Chunk chunk = _chunks[c];
        KdTree tree = _trees[chunk.Example]!;
        int offset = _exampleStart[chunk.Example];
        for (int l = chunk.LeafStart; l < chunk.LeafEnd; l++)
        {
            int leaf = tree.Leaves[l];
            int start = tree.Nodes[leaf].Start, end = tree.Nodes[leaf].End;
            if (batched)
            {
                LeafBatchSearch.Search<TKernel>(tree, leaf, k, query, scratch);
                for (int q = 0; q < end - start; q++)
                {
                    Emit(c, offset, offset + tree.Index[start + q], scratch.QueryBest[q].AsSpan(1), scratch.QueryCount[q], sink, scratch);
                }
            }
            else
            {
                for (int slot = start; slot < end; slot++)
                {
                    int found = KdTreeSearch.Nearest<TKernel>(tree, slot, k, query, scratch);
                    Emit(c, offset, offset + tree.Index[slot], scratch.Best, found, sink, scratch);
                }
            }
        }
    }

    /// <summary>Unpacks one query's keys into cloud indices and squared distances for the sink.</summary>
    private static void Emit(int c, int offset, int point, ReadOnlySpan<long> best, int found, INeighbourSink sink, NeighbourScratch scratch)
    {
        int[] neighbours = scratch.Neighbours;
        float[] squared = scratch.Squared;
        for (int t = 0; t < found; t++)
        {
            neighbours[t] = offset + KBest.IndexOf(best[t]);
            squared[t] = KBest.SquaredDistanceOf(best[t]);
        }

        sink.Accept(c, point, neighbours.AsSpan(0, found), squared.AsSpan(0, found));
    }

    /// <summary>With nothing to find (K of 0), every point still reports its empty neighbourhood.</summary>
    private void EmitEmpty(INeighbourSink sink)
    {
        for (int c = 0; c < _chunks.Length; c++)
        {
            Chunk chunk = _chunks[c];
            KdTree tree = _trees[chunk.Example]!;
            int first = tree.Nodes[tree.Leaves[chunk.LeafStart]].Start, last = tree.Nodes[tree.Leaves[chunk.LeafEnd - 1]].End;
            for (int slot = first; slot < last; slot++)
            {
                sink.Accept(c, _exampleStart[chunk.Example] + tree.Index[slot], [], []);
            }
        }
    }

    private static KdTree? BuildTree(float[] positions, int start, int end, int dop) =>
        end > start ? KdTree.Build(positions.AsSpan(start * 3, (end - start) * 3), dop) : null;

    private static int FirstNonFinite(float[] positions)
    {
        for (int i = 0; i < positions.Length; i++)
        {
            if (!float.IsFinite(positions[i]))
            {
                return i / 3;
            }
        }

        return -1;
    }

    /// <summary>Leaves [LeafStart, LeafEnd) of one example's tree (indices into <see cref="KdTree.Leaves"/>).</summary>
    private readonly record struct Chunk(int Example, int LeafStart, int LeafEnd);
}
