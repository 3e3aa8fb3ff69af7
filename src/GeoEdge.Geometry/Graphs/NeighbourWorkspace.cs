using GeoEdge.Geometry.Spatial;

namespace GeoEdge.Geometry.Graphs;

/// <summary>Reusable memory for <see cref="KnnGraph.Neighbours(ReadOnlySpan{float}, int, bool, Span{long}, NeighbourWorkspace)"/>: the cell grid or KD tree, and search scratch.</summary>
/// <remarks>
/// The first call for a point count (or a new k) allocates the grid or tree arrays and scratch; later calls with the same
/// count and k rebuild them in place and allocate nothing. One workspace serves one caller at a time (not thread-safe).
/// </remarks>
public sealed class NeighbourWorkspace
{
    private KdTree? _tree;
    private PointItem[] _items = [];
    private NeighbourScratch? _scratch;
    private int _scratchK = -1;
    private bool _scratchBatched;
    private CellGrid? _grid;
    private GridScratch? _gridScratch;

    /// <summary>The tree over <paramref name="positions"/> (finite, row-major [n,3]), rebuilt in place when the count is unchanged.</summary>
    internal KdTree TreeOver(ReadOnlySpan<float> positions)
    {
        int n = positions.Length / 3;
        if (_tree is null || _tree.Count != n)
        {
            _tree = KdTree.Build(positions, 1);
            _items = new PointItem[n];
            return _tree;
        }

        KdTreeBuilder.Rebuild(positions, _tree, _items);
        return _tree;
    }

    /// <summary>
    /// The cell grid over <paramref name="positions"/> (finite, row-major [n,3], n &gt; 0) when it suits them, else null:
    /// a box too wide for float arithmetic, or (unless <paramref name="however"/>) cells so unevenly filled (far clusters, a diagonal line) that the KD tree wins.
    /// </summary>
    internal CellGrid? GridOver(ReadOnlySpan<float> positions, bool however)
    {
        _grid ??= new CellGrid();
        return _grid.Rebuild(positions) && (however || _grid.MeanOccupancy <= CellGrid.MaxMeanOccupancy) ? _grid : null;
    }

    /// <summary>Grid-search scratch for <paramref name="want"/> neighbours over <paramref name="count"/> points, kept while both fit.</summary>
    internal GridScratch GridScratchFor(int want, int count)
    {
        if (_gridScratch is null || _gridScratch.Want != want || _gridScratch.Capacity < count)
        {
            _gridScratch = new GridScratch(want, count);
        }

        return _gridScratch;
    }

    /// <summary>Search scratch for k neighbours, kept while k and the search kind stay the same.</summary>
    internal NeighbourScratch ScratchFor(int k, bool batched)
    {
        if (_scratch is null || _scratchK != k || _scratchBatched != batched)
        {
            _scratch = new NeighbourScratch(k, batched);
            _scratchK = k;
            _scratchBatched = batched;
        }

        return _scratch;
    }
}
