using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GeoEdge.Geometry.Spatial;

/// <summary>Exact kNN of every point of a small cloud over a <see cref="CellGrid"/>, on the calling thread, into a dense matrix.</summary>
/// <remarks>
/// <para>Each query first scans the 3x3x3 block of cells around its own, gathered once per cell into one contiguous run
/// (one kernel call per query; a cell holds ~5 points), then shells of cells one ring further out, until the k-th best
/// squared distance is below every point not yet scanned. In a shell, rows and the end cells of rows are skipped when
/// the real coordinate range of their slabs (<see cref="SlabBounds"/>) puts them beyond the k-th best. A lower bound is
/// computed like a point distance (<c>(gx*gx + gy*gy) + gz*gz</c>, each gap never above the real one), so float
/// rounding keeps it a lower bound; a ring stops only when the bound is strictly above the k-th best, so an unscanned
/// point can never tie it with a lower index. Keys and ties are those of <see cref="KBest"/>: the same answer as the
/// KD-tree searches, bit for bit.</para>
/// <para>Queries run in cell order, and each starts with a ceiling from the previous one: the smaller of (its k-th
/// distance plus the distance between the two points) squared, which holds at least k points, and
/// <see cref="CeilingFactor"/> times its k-th squared distance, a guess. The ceiling only spares insertions: a search
/// that finds fewer than k points under it is rerun without one, so it never changes the answer.</para>
/// <para>Where time went (measured on the shapes test clouds): branches and reloads, not arithmetic. Accepted lanes are
/// packed by <see cref="CompressingDistanceKernel"/> on AVX2; keys are inserted without a branch, held in registers for
/// a whole run when k fits 2, 4 or 8 vectors (<see cref="InsertHeld{TWidth}"/>, else <see cref="SortedKeys.InsertWide"/>);
/// and the block is one run instead of nine rows with their own pruning tests.</para>
/// </remarks>
internal static class GridKnnSearch
{
    /// <summary>A query's ceiling is at most this times the previous query's k-th squared distance (measured: 1.6 rarely reruns, bench/RESULTS.md).</summary>
    private const double CeilingFactor = 1.6;

    /// <summary>Fills row i of <paramref name="destination"/> ([n, <paramref name="rowWidth"/>]) with point i's <paramref name="k"/> nearest, padded as NeighbourMatrix pads.</summary>
    public static void Run(CellGrid grid, int k, bool includeSelf, GridScratch scratch, Span<long> destination, int rowWidth) =>
        Run(grid, k, includeSelf, scratch, destination, rowWidth, SimdSelection.Default);

    /// <summary>As the overload above with the distance kernel named (tests run every one).</summary>
    public static void Run(CellGrid grid, int k, bool includeSelf, GridScratch scratch, Span<long> destination, int rowWidth, SimdVariant simd)
    {
        switch (simd)
        {
            case SimdVariant.Scalar: Run<ScalarDistanceKernel>(grid, k, includeSelf, scratch, destination, rowWidth); break;
            case SimdVariant.Vector128: Run<Vector128DistanceKernel>(grid, k, includeSelf, scratch, destination, rowWidth); break;
            case SimdVariant.Vector256: Run<Vector256DistanceKernel>(grid, k, includeSelf, scratch, destination, rowWidth); break;
            default: Run<Vector512DistanceKernel>(grid, k, includeSelf, scratch, destination, rowWidth); break;
        }
    }

    /// <summary>How many neighbours each point of <paramref name="n"/> gets: min(k, n) with loop, min(k, n - 1) without.</summary>
    public static int Wanted(int n, int k, bool includeSelf) => Math.Max(0, Math.Min(k, includeSelf ? n : n - 1));

    private static void Run<TKernel>(CellGrid grid, int k, bool includeSelf, GridScratch scratch, Span<long> destination, int rowWidth)
        where TKernel : struct, IDistanceKernel
    {
        int want = Wanted(grid.Count, k, includeSelf);
        long[] keys = scratch.Keys;
        float previousWorst = float.PositiveInfinity;
        float px = 0, py = 0, pz = 0;
        int cell = 0;
        for (int cz = 0; cz < grid.Nz; cz++)
        {
            for (int cy = 0; cy < grid.Ny; cy++)
            {
                for (int cx = 0; cx < grid.Nx; cx++, cell++)
                {
                    if (grid.CellStart[cell] == grid.CellStart[cell + 1])
                    {
                        continue;
                    }

                    int blockCount = GatherBlock(grid, cx, cy, cz, scratch);
                    for (int slot = grid.CellStart[cell]; slot < grid.CellStart[cell + 1]; slot++)
                    {
                        var query = new GridQuery(grid.X[slot], grid.Y[slot], grid.Z[slot], cx, cy, cz, includeSelf ? -1 : grid.Index[slot], want);
                        float ceiling = Ceiling(previousWorst, query, px, py, pz);
                        int found = want == 0 ? 0 : Search<TKernel>(grid, in query, ceiling, scratch, blockCount);
                        if (found < want && ceiling != float.PositiveInfinity)
                        {
                            found = Search<TKernel>(grid, in query, float.PositiveInfinity, scratch, blockCount);
                        }

                        int point = grid.Index[slot];
                        WriteRow(point, keys, found, destination.Slice(point * rowWidth, rowWidth));
                        previousWorst = found == want && want > 0 ? KBest.SquaredDistanceOf(keys[want]) : float.PositiveInfinity;
                        (px, py, pz) = (query.X, query.Y, query.Z);
                    }
                }
            }
        }
    }

    /// <summary>(sqrt(previous k-th) + |q - p|)^2, rounded up: under it lie p itself and p's neighbours, at least k points besides q.</summary>
    private static float Ceiling(float previousWorst, in GridQuery query, float px, float py, float pz)
    {
        if (previousWorst == float.PositiveInfinity)
        {
            return float.PositiveInfinity;
        }

        double dx = query.X - (double)px, dy = query.Y - (double)py, dz = query.Z - (double)pz;
        double reach = Math.Sqrt(previousWorst) + Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz));
        return MathF.BitIncrement((float)Math.Min(reach * reach * (1 + 1e-6), previousWorst * CeilingFactor));
    }

    /// <summary>The k best keys of <paramref name="query"/> with squared distance &lt;= <paramref name="ceiling"/> into the scratch's keys; returns how many.</summary>
    private static int Search<TKernel>(CellGrid grid, in GridQuery query, float ceiling, GridScratch scratch, int blockCount)
        where TKernel : struct, IDistanceKernel
    {
        SortedKeys.Reset(scratch.Keys);
        var state = new GridSearchState(ceiling);

        // The 3x3x3 block around the query's cell, gathered once for all the points of the cell: one kernel call.
        ScanRun<TKernel>(scratch.BlockX, scratch.BlockY, scratch.BlockZ, scratch.BlockIndex, 0, blockCount, in query, scratch, ref state);
        for (int r = 1; ; r++)
        {
            float gap = MathF.Min(
                grid.AxisX.GapOutside(query.Cx - r, query.Cx + r, query.X),
                MathF.Min(grid.AxisY.GapOutside(query.Cy - r, query.Cy + r, query.Y), grid.AxisZ.GapOutside(query.Cz - r, query.Cz + r, query.Z)));
            if (gap == float.PositiveInfinity || gap * gap > state.Bound(scratch.Keys, query.Want))
            {
                return state.Count;
            }

            ScanShell<TKernel>(grid, in query, r + 1, scratch, ref state);
        }
    }

    /// <summary>The cells at Chebyshev distance exactly <paramref name="r"/> from the query's cell: whole rows on the outer y/z faces, two end cells elsewhere.</summary>
    private static void ScanShell<TKernel>(CellGrid grid, in GridQuery query, int r, GridScratch scratch, ref GridSearchState state)
        where TKernel : struct, IDistanceKernel
    {
        // Only the rows inside the grid: a thin axis has one slab, and a flat or linear grid must not pay (2r+1)^2 per shell.
        int dzLast = Math.Min(r, grid.Nz - 1 - query.Cz), dyLast = Math.Min(r, grid.Ny - 1 - query.Cy);
        for (int dz = Math.Max(-r, -query.Cz); dz <= dzLast; dz++)
        {
            for (int dy = Math.Max(-r, -query.Cy); dy <= dyLast; dy++)
            {
                int y = query.Cy + dy, z = query.Cz + dz;
                if (Math.Abs(dz) == r || Math.Abs(dy) == r)
                {
                    ScanRow<TKernel>(grid, in query, y, z, query.Cx - r, query.Cx + r, scratch, ref state);
                }
                else
                {
                    ScanRow<TKernel>(grid, in query, y, z, query.Cx - r, query.Cx - r, scratch, ref state);
                    ScanRow<TKernel>(grid, in query, y, z, query.Cx + r, query.Cx + r, scratch, ref state);
                }
            }
        }
    }

    /// <summary>Cells [first, last] of row (y, z), clipped to the grid and trimmed at both ends to the cells the bound still admits, in one kernel call.</summary>
    private static void ScanRow<TKernel>(CellGrid grid, in GridQuery query, int y, int z, int first, int last, GridScratch scratch, ref GridSearchState state)
        where TKernel : struct, IDistanceKernel
    {
        if ((uint)y >= (uint)grid.Ny || (uint)z >= (uint)grid.Nz)
        {
            return;
        }

        float bound = state.Bound(scratch.Keys, query.Want);
        first = Math.Max(first, 0);
        last = Math.Min(last, grid.Nx - 1);
        float gy = grid.AxisY.Gap(y, query.Cy, query.Y), gz = grid.AxisZ.Gap(z, query.Cz, query.Z);
        float gy2 = gy * gy, gz2 = gz * gz;
        if (gy2 + gz2 > bound)
        {
            return;
        }

        SlabBounds axisX = grid.AxisX;
        while (first <= last && Beyond(axisX.Gap(first, query.Cx, query.X), gy2, gz2, bound))
        {
            first++;
        }

        while (last >= first && Beyond(axisX.Gap(last, query.Cx, query.X), gy2, gz2, bound))
        {
            last--;
        }

        if (first > last)
        {
            return;
        }

        int rowCell = grid.Nx * (y + (grid.Ny * z));
        int start = grid.CellStart[rowCell + first], end = grid.CellStart[rowCell + last + 1];
        if (start == end)
        {
            return;
        }

        ScanRun<TKernel>(grid.X, grid.Y, grid.Z, grid.Index, start, end, in query, scratch, ref state);
    }

    /// <summary>Slots [start, end) of the given coordinate arrays into the query's keys (bound: the state's).</summary>
    private static void ScanRun<TKernel>(float[] xs, float[] ys, float[] zs, int[] index, int start, int end, in GridQuery query, GridScratch scratch, ref GridSearchState state)
        where TKernel : struct, IDistanceKernel
    {
        float bound = state.Bound(scratch.Keys, query.Want);
        float[] squared = scratch.Squared;
        int[] slots = scratch.Slots;

        // The Vector256 kernel's packing loop branches once per accepted lane; on AVX2 a permutation table packs them instead.
        int found = typeof(TKernel) == typeof(Vector256DistanceKernel) && CompressingDistanceKernel.IsSupported
            ? CompressingDistanceKernel.Collect(
                ref xs[start], ref ys[start], ref zs[start], end - start,
                query.X, query.Y, query.Z, bound, ref squared[0], ref slots[0])
            : TKernel.Collect(
                ref xs[start], ref ys[start], ref zs[start], end - start,
                query.X, query.Y, query.Z, bound, ref squared[0], ref slots[0]);
        long[] keys = scratch.Keys;
        int count = state.Count;
        if (Avx2.IsSupported && keys.Length is 9 or 17 or 33)
        {
            int offered = keys.Length switch
            {
                9 => InsertHeld<TwoVectors>(keys, squared, slots, index, start, found, query.Self),
                17 => InsertHeld<FourVectors>(keys, squared, slots, index, start, found, query.Self),
                _ => InsertHeld<EightVectors>(keys, squared, slots, index, start, found, query.Self),
            };
            state.Count = Math.Min(count + offered, query.Want);
            return;
        }

        for (int t = 0; t < found; t++)
        {
            // Branch-free: the query itself becomes a key no slot takes, and a key not below the worst changes nothing.
            int point = index[start + slots[t]];
            bool other = point != query.Self;
            SortedKeys.InsertWide(keys, other ? KBest.Key(squared[t], point) : long.MaxValue);
            count += other ? 1 : 0;
        }

        state.Count = Math.Min(count, query.Want);
    }

    /// <summary>
    /// <see cref="SortedKeys.InsertWide"/> of each found slot (but the query itself) into keys held in 2, 4 or 8 registers
    /// (<typeparamref name="TWidth"/>) for the whole run, stored back once; returns how many keys were offered. Same keys as
    /// inserting one by one, where each insertion would wait on the previous one's stores.
    /// </summary>
    private static int InsertHeld<TWidth>(long[] keys, float[] squared, int[] slots, int[] index, int start, int found, int self)
        where TWidth : struct, IHeldKeys
    {
        ref long first = ref keys[1];
        int vectors = TWidth.Vectors;
        Vector256<long> v0 = Vector256.LoadUnsafe(ref first, 0), v1 = Vector256.LoadUnsafe(ref first, 4);
        Vector256<long> v2 = default, v3 = default, v4 = default, v5 = default, v6 = default, v7 = default;
        if (vectors >= 4)
        {
            v2 = Vector256.LoadUnsafe(ref first, 8);
            v3 = Vector256.LoadUnsafe(ref first, 12);
        }

        if (vectors == 8)
        {
            v4 = Vector256.LoadUnsafe(ref first, 16);
            v5 = Vector256.LoadUnsafe(ref first, 20);
            v6 = Vector256.LoadUnsafe(ref first, 24);
            v7 = Vector256.LoadUnsafe(ref first, 28);
        }

        Vector256<int> guard = Vector256.Create(long.MinValue).AsInt32();
        int offered = 0;
        for (int t = 0; t < found; t++)
        {
            int point = index[start + slots[t]];
            bool other = point != self;
            Vector256<long> key = Vector256.Create(other ? KBest.Key(squared[t], point) : long.MaxValue);
            offered += other ? 1 : 0;

            // Each vector's lanes rotated to (3, 0, 1, 2), taken before it changes; lane 0 then takes the lower vector's lane 3 (the guard's for the first).
            Vector256<int> r0 = Rotate(v0);
            v0 = Shift(v0, Avx2.Blend(r0, guard, 0b11).AsInt64(), key);
            Vector256<int> r1 = Rotate(v1);
            v1 = Shift(v1, Avx2.Blend(r1, r0, 0b11).AsInt64(), key);
            if (vectors >= 4)
            {
                Vector256<int> r2 = Rotate(v2);
                v2 = Shift(v2, Avx2.Blend(r2, r1, 0b11).AsInt64(), key);
                Vector256<int> r3 = Rotate(v3);
                v3 = Shift(v3, Avx2.Blend(r3, r2, 0b11).AsInt64(), key);
                if (vectors == 8)
                {
                    Vector256<int> r4 = Rotate(v4);
                    v4 = Shift(v4, Avx2.Blend(r4, r3, 0b11).AsInt64(), key);
                    Vector256<int> r5 = Rotate(v5);
                    v5 = Shift(v5, Avx2.Blend(r5, r4, 0b11).AsInt64(), key);
                    Vector256<int> r6 = Rotate(v6);
                    v6 = Shift(v6, Avx2.Blend(r6, r5, 0b11).AsInt64(), key);
                    v7 = Shift(v7, Avx2.Blend(Rotate(v7), r6, 0b11).AsInt64(), key);
                }
            }
        }

        v0.StoreUnsafe(ref first, 0);
        v1.StoreUnsafe(ref first, 4);
        if (vectors >= 4)
        {
            v2.StoreUnsafe(ref first, 8);
            v3.StoreUnsafe(ref first, 12);
        }

        if (vectors == 8)
        {
            v4.StoreUnsafe(ref first, 16);
            v5.StoreUnsafe(ref first, 20);
            v6.StoreUnsafe(ref first, 24);
            v7.StoreUnsafe(ref first, 28);
        }

        return offered;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Rotate(Vector256<long> keys) => Avx2.Permute4x64(keys, 0b10_01_00_11).AsInt32();

    /// <summary>One vector of <see cref="SortedKeys"/>' insertion: old where below the key, else max(lower neighbour, key).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> Shift(Vector256<long> old, Vector256<long> below, Vector256<long> key) =>
        Vector256.ConditionalSelect(Vector256.LessThan(old, key), old, Vector256.ConditionalSelect(Vector256.GreaterThan(below, key), below, key));

    /// <summary>Copies the points of the 3x3x3 cells around (cx, cy, cz), clipped to the grid, into the scratch's block; returns how many.</summary>
    private static int GatherBlock(CellGrid grid, int cx, int cy, int cz, GridScratch scratch)
    {
        int count = 0;
        int first = Math.Max(cx - 1, 0), last = Math.Min(cx + 1, grid.Nx - 1);
        float[] x = grid.X, y = grid.Y, z = grid.Z, blockX = scratch.BlockX, blockY = scratch.BlockY, blockZ = scratch.BlockZ;
        int[] index = grid.Index, blockIndex = scratch.BlockIndex;
        for (int rz = Math.Max(cz - 1, 0); rz <= Math.Min(cz + 1, grid.Nz - 1); rz++)
        {
            for (int ry = Math.Max(cy - 1, 0); ry <= Math.Min(cy + 1, grid.Ny - 1); ry++)
            {
                int rowCell = grid.Nx * (ry + (grid.Ny * rz));
                int start = grid.CellStart[rowCell + first], end = grid.CellStart[rowCell + last + 1];

                // One loop for the four arrays: rows hold ~15 points, too few to pay four memmove calls each.
                for (int slot = start; slot < end; slot++, count++)
                {
                    blockX[count] = x[slot];
                    blockY[count] = y[slot];
                    blockZ[count] = z[slot];
                    blockIndex[count] = index[slot];
                }
            }
        }

        return count;
    }

    /// <summary>Whether a cell whose points are at least (gx, gy, gz) away per axis lies beyond the bound.</summary>
    private static bool Beyond(float gx, float gy2, float gz2, float bound) => ((gx * gx) + gy2) + gz2 > bound;

    /// <summary>Nearest first, then the farthest found repeated (or the point itself when none was found).</summary>
    private static void WriteRow(int point, long[] keys, int found, Span<long> row)
    {
        for (int t = 0; t < found; t++)
        {
            row[t] = KBest.IndexOf(keys[t + 1]);
        }

        row[found..].Fill(found > 0 ? row[found - 1] : point);
    }

    /// <summary>One query point, its cell, the index it must not return (-1 with loop), and how many neighbours it wants.</summary>
    private readonly record struct GridQuery(float X, float Y, float Z, int Cx, int Cy, int Cz, int Self, int Want);

    /// <summary>How many keys a query holds and the ceiling that bounds it until it holds all it wants.</summary>
    private struct GridSearchState(float ceiling)
    {
        public int Count;

        /// <summary>The largest squared distance that can still enter: the worst kept once full, else the ceiling.</summary>
        public readonly float Bound(long[] keys, int want) => Count == want ? KBest.SquaredDistanceOf(keys[want]) : ceiling;
    }
}

/// <summary>Memory for <see cref="GridKnnSearch"/>: one query's sorted keys and a kernel's output for a row of cells.</summary>
internal sealed class GridScratch(int want, int capacity)
{
    public int Want { get; } = want;

    public int Capacity { get; } = capacity;

    /// <summary>The query's keys in <see cref="SortedKeys"/> layout (guard, then <see cref="Want"/> slots).</summary>
    public long[] Keys { get; } = new long[SortedKeys.WideLength(Math.Max(want, 1))];

    public float[] Squared { get; } = new float[capacity + CellGrid.Padding];


    public int[] Slots { get; } = new int[capacity + CellGrid.Padding];

    /// <summary>The points of the block of cells around the current query cell (padded for a kernel's whole-vector loads).</summary>
    public float[] BlockX { get; } = new float[capacity + CellGrid.Padding];

    public float[] BlockY { get; } = new float[capacity + CellGrid.Padding];

    public float[] BlockZ { get; } = new float[capacity + CellGrid.Padding];

    public int[] BlockIndex { get; } = new int[capacity + CellGrid.Padding];
}

/// <summary>How many Vector256 of keys <c>GridKnnSearch.InsertHeld</c> keeps in registers (a JIT-time constant per type).</summary>
internal interface IHeldKeys
{
    static abstract int Vectors { get; }
}

/// <summary>5 to 8 keys (<see cref="SortedKeys.WideLength"/> 9).</summary>
internal readonly struct TwoVectors : IHeldKeys
{
    public static int Vectors => 2;
}

/// <summary>13 to 16 keys (length 17).</summary>
internal readonly struct FourVectors : IHeldKeys
{
    public static int Vectors => 4;
}

/// <summary>29 to 32 keys (length 33).</summary>
internal readonly struct EightVectors : IHeldKeys
{
    public static int Vectors => 8;
}
