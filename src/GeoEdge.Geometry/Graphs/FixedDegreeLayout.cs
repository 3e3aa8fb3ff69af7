namespace GeoEdge.Geometry.Graphs;

/// <summary>Where each point's kNN edges go: every point of an example gets the same number of neighbours.</summary>
/// <remarks>
/// With k neighbours wanted, a point in an example of n points gets min(k, n - 1) without loop or
/// min(k, n) with loop, so every edge's position is known before the search and threads write in place.
/// </remarks>
internal sealed class FixedDegreeLayout
{
    private readonly long[]? _batch;
    private readonly int[] _start;
    private readonly int[] _degree;
    private readonly long[] _offset;

    private FixedDegreeLayout(long[]? batch, int[] start, int[] degree, long[] offset, long edgeCount)
    {
        _batch = batch;
        _start = start;
        _degree = degree;
        _offset = offset;
        EdgeCount = edgeCount;
    }

    public long EdgeCount { get; }

    public static FixedDegreeLayout Create(PointCloud cloud, int k, bool loop)
    {
        int examples = cloud.BatchCount;
        var start = new int[examples];
        var degree = new int[examples];
        var offset = new long[examples];
        long total = 0;
        for (int e = 0; e < examples; e++)
        {
            (int s, int end) = cloud.BatchRange(e);
            int n = end - s;
            start[e] = s;
            degree[e] = Math.Max(0, Math.Min(k, loop ? n : n - 1));
            offset[e] = total;
            total += (long)n * degree[e];
        }

        return new FixedDegreeLayout(cloud.Batch, start, degree, offset, total);
    }

    /// <summary>The position of <paramref name="point"/>'s first edge and how many it has.</summary>
    public long OffsetOf(int point, out int degree)
    {
        int e = _batch is null ? 0 : (int)_batch[point];
        degree = _degree[e];
        return _offset[e] + ((long)(point - _start[e]) * degree);
    }
}
