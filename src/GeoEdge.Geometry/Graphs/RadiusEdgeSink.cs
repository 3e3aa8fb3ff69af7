using GeoEdge.Geometry.Spatial;

namespace GeoEdge.Geometry.Graphs;

/// <summary>Collects radius-search results per chunk, then lays them out as an edge_index ordered by centre.</summary>
/// <remarks>
/// Degrees are unknown until every point is searched, so each chunk appends (point, count, neighbours...)
/// to its own buffer (one thread per chunk: no locking); <see cref="ToEdgeIndex"/> then places them.
/// </remarks>
internal sealed class RadiusEdgeSink : INeighbourSink
{
    private readonly int[] _degree;
    private readonly int[][] _buffers;
    private readonly int[] _used;

    public RadiusEdgeSink(int pointCount, int chunkCount)
    {
        _degree = new int[pointCount];
        _buffers = new int[chunkCount][];
        _used = new int[chunkCount];
    }

    public void Accept(int chunk, int point, ReadOnlySpan<int> neighbours, ReadOnlySpan<float> squaredDistances)
    {
        _degree[point] = neighbours.Length;
        int need = _used[chunk] + 2 + neighbours.Length;
        int[]? buffer = _buffers[chunk];
        if (buffer is null || buffer.Length < need)
        {
            Array.Resize(ref _buffers[chunk], Math.Max(need, Math.Max(1024, (buffer?.Length ?? 0) * 2)));
            buffer = _buffers[chunk];
        }

        int at = _used[chunk];
        buffer[at] = point;
        buffer[at + 1] = neighbours.Length;
        neighbours.CopyTo(buffer.AsSpan(at + 2));
        _used[chunk] = need;
    }

    public EdgeIndex ToEdgeIndex(GraphFlow flow)
    {
        var offset = new long[_degree.Length];
        long total = 0;
        for (int i = 0; i < _degree.Length; i++)
        {
            offset[i] = total;
            total += _degree[i];
        }

        if (total * 2 > Array.MaxLength)
        {
            GeometryThrow.TooManyEdges(total, "cloud");
        }

        // Every edge slot is written below (the degrees sum to total), so skip zeroing.
        long[] data = GC.AllocateUninitializedArray<long>((int)(total * 2));
        long neighbourRow = flow == GraphFlow.TargetToSource ? total : 0;
        long centreRow = flow == GraphFlow.TargetToSource ? 0 : total;
        for (int c = 0; c < _buffers.Length; c++)
        {
            int[]? buffer = _buffers[c];
            for (int at = 0; at < _used[c];)
            {
                int point = buffer![at];
                int count = buffer[at + 1];
                long o = offset[point];
                for (int t = 0; t < count; t++)
                {
                    data[neighbourRow + o + t] = buffer[at + 2 + t];
                    data[centreRow + o + t] = point;
                }

                at += 2 + count;
            }
        }

        return new EdgeIndex(data);
    }
}
