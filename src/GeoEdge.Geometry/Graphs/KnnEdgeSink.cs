using System.Diagnostics;
using GeoEdge.Geometry.Spatial;

namespace GeoEdge.Geometry.Graphs;

/// <summary>Writes kNN results straight into their final place in an edge_index array.</summary>
internal sealed class KnnEdgeSink : INeighbourSink
{
    private readonly FixedDegreeLayout _layout;
    private readonly long[] _data;
    private readonly long _edgeCount;
    private readonly bool _centreFirst;

    public KnnEdgeSink(FixedDegreeLayout layout, long[] data, GraphFlow flow)
    {
        _layout = layout;
        _data = data;
        _edgeCount = layout.EdgeCount;
        _centreFirst = flow == GraphFlow.TargetToSource;
    }

    public void Accept(int chunk, int point, ReadOnlySpan<int> neighbours, ReadOnlySpan<float> squaredDistances)
    {
        long offset = _layout.OffsetOf(point, out int degree);
        Debug.Assert(neighbours.Length == degree, "a kNN search finds every available neighbour");
        Span<long> neighbourRow = _data.AsSpan((int)(_centreFirst ? _edgeCount + offset : offset), degree);
        Span<long> centreRow = _data.AsSpan((int)(_centreFirst ? offset : _edgeCount + offset), degree);
        for (int t = 0; t < degree; t++)
        {
            neighbourRow[t] = neighbours[t];
        }

        centreRow.Fill(point);
    }
}

/// <summary>Writes kNN results into rows of a dense [N,k] matrix, padding short rows.</summary>
internal sealed class NeighbourMatrixSink : INeighbourSink
{
    private readonly long[] _data;
    private readonly int _k;

    public NeighbourMatrixSink(long[] data, int k)
    {
        _data = data;
        _k = k;
    }

    public void Accept(int chunk, int point, ReadOnlySpan<int> neighbours, ReadOnlySpan<float> squaredDistances)
    {
        Span<long> row = _data.AsSpan(point * _k, _k);
        for (int t = 0; t < neighbours.Length; t++)
        {
            row[t] = neighbours[t];
        }

        row[neighbours.Length..].Fill(neighbours.Length > 0 ? neighbours[^1] : point);
    }
}
