namespace GeoEdge.Geometry.Spatial;

/// <summary>The spatial index of a whole cloud: one <see cref="KdTree"/> per example and the work split into chunks.</summary>
/// <remarks>
/// Examples of a batched cloud get separate trees, so no search ever crosses from one example to another.
/// Work is cut into chunks of consecutive slots of one tree (spatially close queries), run by
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
        int largest = 0, chunkCount = 0;
        for (int e = 0; e < examples; e++)
        {
            (starts[e], ends[e]) = cloud.BatchRange(e);
            int n = ends[e] - starts[e];
            largest = Math.Max(largest, n);
            chunkCount += (n + ChunkSize - 1) / ChunkSize;
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

        var chunks = new Chunk[chunkCount];
        int c = 0;
        for (int e = 0; e < examples; e++)
        {
            int n = ends[e] - starts[e];
            for (int s = 0; s < n; s += ChunkSize)
            {
                chunks[c++] = new Chunk(e, s, Math.Min(n, s + ChunkSize));
            }
        }

        return new CloudIndex(trees, starts, chunks, largest, settings);
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

        int dop = _settings.MaxDegreeOfParallelism;
        if (dop == 1 || _chunks.Length == 1)
        {
            var scratch = new NeighbourScratch(k);
            for (int c = 0; c < _chunks.Length; c++)
            {
                RunChunk<TKernel>(c, k, query, sink, scratch);
            }

            return;
        }

        Parallel.For(
            0,
            _chunks.Length,
            new ParallelOptions { MaxDegreeOfParallelism = dop },
            () => new NeighbourScratch(k),
            (c, _, scratch) =>
            {
                RunChunk<TKernel>(c, k, query, sink, scratch);
                return scratch;
            },
            _ => { });
    }

    private void RunChunk<TKernel>(int c, int k, in NeighbourQuery query, INeighbourSink sink, NeighbourScratch scratch)
        where TKernel : struct, IDistanceKernel
    {
        Chunk chunk = _chunks[c];
        KdTree tree = _trees[chunk.Example]!;
        int offset = _exampleStart[chunk.Example];
        int[] neighbours = scratch.Neighbours;
        float[] squared = scratch.Squared;
        long[] best = scratch.Best;
        for (int slot = chunk.SlotStart; slot < chunk.SlotEnd; slot++)
        {
            int found = KdTreeSearch.Nearest<TKernel>(tree, slot, k, query, scratch);
            for (int t = 0; t < found; t++)
            {
                neighbours[t] = offset + KBest.IndexOf(best[t]);
                squared[t] = KBest.SquaredDistanceOf(best[t]);
            }

            sink.Accept(c, offset + tree.Index[slot], neighbours.AsSpan(0, found), squared.AsSpan(0, found));
        }
    }

    /// <summary>With nothing to find (K of 0), every point still reports its empty neighbourhood.</summary>
    private void EmitEmpty(INeighbourSink sink)
    {
        for (int c = 0; c < _chunks.Length; c++)
        {
            Chunk chunk = _chunks[c];
            KdTree tree = _trees[chunk.Example]!;
            for (int slot = chunk.SlotStart; slot < chunk.SlotEnd; slot++)
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

    private readonly record struct Chunk(int Example, int SlotStart, int SlotEnd);
}
