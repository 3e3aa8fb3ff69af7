namespace GeoEdge.Geometry.Spatial;

/// <summary>A uniform cell list over one example's bounding box, points counting-sorted by cell, rebuilt in place per cloud.</summary>
/// <remarks>
/// <para>Cells are numbered x fastest, so a row of cells along x is one contiguous run of slots that a distance kernel
/// streams over in one call. Within a cell, points keep ascending index order (the sort is stable).</para>
/// <para>Pruning never trusts the cell arithmetic: each slab (a plane of cells along one axis) records the real least
/// and greatest coordinate of its points, and <see cref="GridKnnSearch"/> bounds distances by those, so float rounding
/// in the cell assignment can make a search slower but never wrong. Empty slabs hold +inf / -inf.</para>
/// <para>The cell size aims at <see cref="PointsPerCell"/> points per cell; an axis much thinner than a cell gets
/// one slab, so planar and collinear clouds get 2-D and 1-D grids rather than millions of empty cells. A surface
/// (a scanned object) fills few cells of its box, so while the points a point shares its cell with exceed
/// <see cref="RefineOccupancy"/> the side is halved, at most twice and within <c>2n + 64</c> cells. Clouds that stay
/// crowded (far clusters, all points equal) are left to the KD tree by the caller.</para>
/// </remarks>
internal sealed class CellGrid
{
    /// <summary>Floats after the last slot so a kernel may load a whole Vector512 at any slot (as <see cref="KdTree"/>).</summary>
    internal const int Padding = 16;

    private int[] _cellOfPoint = [];
    private int[] _cursor = [];

    /// <summary>The aimed-for mean occupancy; 4-6 measured best of 3-8 (bench/RESULTS.md, "Small-cloud kNN on the inference path").</summary>
    internal const int PointsPerCell = 5;

    /// <summary>Above this <see cref="MeanOccupancy"/> a query scans too many points and the KD tree is used instead.</summary>
    internal const double MaxMeanOccupancy = 32;

    /// <summary>Above this <see cref="MeanOccupancy"/> (a surface in a volume's cells) the cell side is halved, at most twice.</summary>
    internal const double RefineOccupancy = 3 * PointsPerCell;

    public int Count { get; private set; }

    public int Nx { get; private set; }

    public int Ny { get; private set; }

    public int Nz { get; private set; }

    /// <summary>Coordinates by slot (cell order); <see cref="Count"/> values then <see cref="Padding"/> zeros.</summary>
    public float[] X { get; private set; } = [];

    public float[] Y { get; private set; } = [];

    public float[] Z { get; private set; } = [];

    /// <summary>The point index held in each slot.</summary>
    public int[] Index { get; private set; } = [];

    /// <summary>First slot of each cell; entry [cells] is <see cref="Count"/>.</summary>
    public int[] CellStart { get; private set; } = [];

    /// <summary>Per axis and slab: the least and greatest coordinate of its points.</summary>
    public SlabBounds AxisX { get; } = new();

    public SlabBounds AxisY { get; } = new();

    public SlabBounds AxisZ { get; } = new();

    /// <summary>Sum over cells of occupancy squared, divided by the count: the cell size a point sees on average.</summary>
    public double MeanOccupancy { get; private set; }

    /// <summary>
    /// Sorts <paramref name="positions"/> (finite, row-major [n,3], n &gt; 0) into cells; returns false, leaving the grid unusable,
    /// when the box is too large for float arithmetic (a width overflows).
    /// </summary>
    public bool Rebuild(ReadOnlySpan<float> positions)
    {
        int n = positions.Length / 3;
        Ensure(n);
        float minX = float.PositiveInfinity, minY = float.PositiveInfinity, minZ = float.PositiveInfinity;
        float maxX = float.NegativeInfinity, maxY = float.NegativeInfinity, maxZ = float.NegativeInfinity;
        for (int i = 0; i < n; i++)
        {
            float x = positions[i * 3], y = positions[(i * 3) + 1], z = positions[(i * 3) + 2];
            minX = MathF.Min(minX, x);
            maxX = MathF.Max(maxX, x);
            minY = MathF.Min(minY, y);
            maxY = MathF.Max(maxY, y);
            minZ = MathF.Min(minZ, z);
            maxZ = MathF.Max(maxZ, z);
        }

        double ex = (double)maxX - minX, ey = (double)maxY - minY, ez = (double)maxZ - minZ;
        if (!double.IsFinite(ex * ey * ez) || !float.IsFinite(maxX - minX) || !float.IsFinite(maxY - minY) || !float.IsFinite(maxZ - minZ))
        {
            return false;
        }

        // A surface fills few of a volume's cells: while points crowd (and the arrays allow), halve the cell side.
        double side = CellSide(ex, ey, ez, n);
        int cells = CountCells(positions, minX, minY, minZ, ex, ey, ez, side);
        for (int refine = 0; refine < 2 && MeanOccupancy > RefineOccupancy && side / 2 > 0 && (double)Slabs(ex, side / 2) * Slabs(ey, side / 2) * Slabs(ez, side / 2) <= MaxCells(n); refine++)
        {
            side /= 2;
            cells = CountCells(positions, minX, minY, minZ, ex, ey, ez, side);
        }

        Span<int> start = CellStart.AsSpan(0, cells + 1);
        for (int c = 0; c < cells; c++)
        {
            start[c + 1] += start[c];
        }

        start[..cells].CopyTo(_cursor);
        AxisX.Reset(Nx);
        AxisY.Reset(Ny);
        AxisZ.Reset(Nz);
        for (int i = 0; i < n; i++)
        {
            int cell = _cellOfPoint[i];
            int slot = _cursor[cell]++;
            float x = positions[i * 3], y = positions[(i * 3) + 1], z = positions[(i * 3) + 2];
            X[slot] = x;
            Y[slot] = y;
            Z[slot] = z;
            Index[slot] = i;
            int cz = cell / (Nx * Ny);
            int rest = cell - (cz * Nx * Ny);
            int cy = rest / Nx;
            AxisX.Include(rest - (cy * Nx), x);
            AxisY.Include(cy, y);
            AxisZ.Include(cz, z);
        }

        AxisX.Finish();
        AxisY.Finish();
        AxisZ.Finish();
        Count = n;
        return true;
    }

    /// <summary>
    /// Sizes the grid for cubes of <paramref name="side"/>, puts each point's cell in <c>_cellOfPoint</c> and each cell's count in
    /// <c>CellStart[cell + 1]</c>, sets <see cref="MeanOccupancy"/>; returns the cell count.
    /// </summary>
    private int CountCells(ReadOnlySpan<float> positions, float minX, float minY, float minZ, double ex, double ey, double ez, double side)
    {
        int n = positions.Length / 3;
        Nx = Slabs(ex, side);
        Ny = Slabs(ey, side);
        Nz = Slabs(ez, side);
        int cells = Nx * Ny * Nz;
        float sx = (float)(Nx / Math.Max(ex, double.Epsilon)), sy = (float)(Ny / Math.Max(ey, double.Epsilon)), sz = (float)(Nz / Math.Max(ez, double.Epsilon));
        Span<int> start = CellStart.AsSpan(0, cells + 1);
        start.Clear();
        for (int i = 0; i < n; i++)
        {
            int cx = Slab(positions[i * 3] - minX, sx, Nx);
            int cy = Slab(positions[(i * 3) + 1] - minY, sy, Ny);
            int cz = Slab(positions[(i * 3) + 2] - minZ, sz, Nz);
            int cell = cx + (Nx * (cy + (Ny * cz)));
            _cellOfPoint[i] = cell;
            start[cell + 1]++;
        }

        long squares = 0;
        for (int c = 1; c <= cells; c++)
        {
            squares += (long)start[c] * start[c];
        }

        MeanOccupancy = (double)squares / n;
        return cells;
    }

    /// <summary>Most cells a grid over <paramref name="n"/> points may have (rounding up each axis can exceed the aim).</summary>
    private static int MaxCells(int n) => (2 * n) + 64;

    /// <summary>
    /// The cube side giving about <see cref="PointsPerCell"/> points per cell over the axes that are wider than a cell:
    /// tried as a 3-D grid, then without the thinnest axis, then along the widest only.
    /// </summary>
    private static double CellSide(double ex, double ey, double ez, int n)
    {
        Span<double> e = [ex, ey, ez];
        e.Sort();
        double cells = Math.Max(1.0, (double)n / PointsPerCell);
        double side = Math.Cbrt(e[0] * e[1] * e[2] / cells);
        if (e[0] <= side)
        {
            side = Math.Sqrt(e[1] * e[2] / cells);
            if (e[1] <= side)
            {
                side = e[2] / cells;
            }
        }

        // Rounding each axis up can overshoot; widen until the cells fit the arrays sized by n.
        side = Math.Max(side, double.Epsilon);
        while ((double)Slabs(ex, side) * Slabs(ey, side) * Slabs(ez, side) > MaxCells(n))
        {
            side *= 1.25;
        }

        return side;
    }

    /// <summary>Slabs along an axis: one for a flat axis (all its points equal), else its width in cells, at least 1.</summary>
    private static int Slabs(double extent, double side) => extent <= 0 || side <= 0 ? 1 : (int)Math.Clamp(Math.Ceiling(extent / side), 1, 1 << 20);

    private static int Slab(float offset, float scale, int slabs) => Math.Clamp((int)(offset * scale), 0, slabs - 1);

    private void Ensure(int n)
    {
        if (Index.Length >= n && X.Length >= n + Padding)
        {
            return;
        }

        X = new float[n + Padding];
        Y = new float[n + Padding];
        Z = new float[n + Padding];
        Index = new int[n];
        _cellOfPoint = new int[n];
        int cells = MaxCells(n);
        CellStart = new int[cells + 1];
        _cursor = new int[cells];
        AxisX.Ensure(cells);
        AxisY.Ensure(cells);
        AxisZ.Ensure(cells);
    }
}

/// <summary>The real coordinate range of each slab along one axis, and the nearest coordinate beyond any slab.</summary>
internal sealed class SlabBounds
{
    public int Count { get; private set; }

    /// <summary>Least coordinate in slab s (+inf when empty).</summary>
    public float[] Min { get; private set; } = [];

    /// <summary>Greatest coordinate in slab s (-inf when empty).</summary>
    public float[] Max { get; private set; } = [];

    /// <summary>Least coordinate in slabs s and above.</summary>
    public float[] MinFrom { get; private set; } = [];

    /// <summary>Greatest coordinate in slabs s and below.</summary>
    public float[] MaxUpTo { get; private set; } = [];

    /// <summary>Lower bound of |p - q| along this axis for any point p in slab s, q in slab own (float-safe: rounding is monotone).</summary>
    public float Gap(int s, int own, float q) => s > own ? MathF.Max(Min[s] - q, 0f) : s < own ? MathF.Max(q - Max[s], 0f) : 0f;

    /// <summary>Lower bound of |p - q| for every point p in slabs below <paramref name="first"/> or above <paramref name="last"/>.</summary>
    public float GapOutside(int first, int last, float q)
    {
        float below = first > 0 ? q - MaxUpTo[first - 1] : float.PositiveInfinity;
        float above = last < Count - 1 ? MinFrom[last + 1] - q : float.PositiveInfinity;
        return MathF.Max(MathF.Min(below, above), 0f);
    }

    internal void Ensure(int slabs)
    {
        Min = new float[slabs];
        Max = new float[slabs];
        MinFrom = new float[slabs];
        MaxUpTo = new float[slabs];
    }

    internal void Reset(int slabs)
    {
        Count = slabs;
        Min.AsSpan(0, slabs).Fill(float.PositiveInfinity);
        Max.AsSpan(0, slabs).Fill(float.NegativeInfinity);
    }

    internal void Include(int s, float value)
    {
        Min[s] = MathF.Min(Min[s], value);
        Max[s] = MathF.Max(Max[s], value);
    }

    internal void Finish()
    {
        float running = float.NegativeInfinity;
        for (int s = 0; s < Count; s++)
        {
            running = MathF.Max(running, Max[s]);
            MaxUpTo[s] = running;
        }

        running = float.PositiveInfinity;
        for (int s = Count - 1; s >= 0; s--)
        {
            running = MathF.Min(running, Min[s]);
            MinFrom[s] = running;
        }
    }
}
