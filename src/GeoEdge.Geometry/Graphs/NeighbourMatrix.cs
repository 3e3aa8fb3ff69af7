namespace GeoEdge.Geometry.Graphs;

/// <summary>Dense int64 [N,k] neighbour indices, nearest first, for models that want fixed-degree neighbourhoods.</summary>
/// <remarks>
/// Row i lists the neighbours of point i ordered like <see cref="KnnGraph"/>'s edges (nearest first, ties by
/// lower index). Padding rule: when point i's example has fewer than k candidates (fewer than k points
/// besides i, or than k points with loop), the row is filled up by repeating its farthest found neighbour,
/// or i itself when it found none (an example of one point without loop). <see cref="EdgeIndex"/> never pads.
/// <see cref="Data"/> is exactly <c>Count * K</c> values, handed to a model as an [N,k] tensor without copying.
/// </remarks>
public sealed class NeighbourMatrix
{
    /// <summary>Wraps <paramref name="data"/> (taken, not copied): <paramref name="count"/> rows of <paramref name="k"/>.</summary>
    public NeighbourMatrix(long[] data, int count, int k)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if ((long)count * k != data.Length)
        {
            throw new ArgumentException($"neighbour matrix needs {(long)count * k} values, got {data.Length}", nameof(data));
        }

        Data = data;
        Count = count;
        K = k;
    }

    /// <summary>Row-major [N,k].</summary>
    public long[] Data { get; }

    /// <summary>N, the number of points (rows).</summary>
    public int Count { get; }

    /// <summary>Neighbours per row.</summary>
    public int K { get; }

    /// <summary>Point <paramref name="i"/>'s neighbours, nearest first.</summary>
    public ReadOnlySpan<long> Row(int i)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(i);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(i, Count);
        return Data.AsSpan(i * K, K);
    }

    public override string ToString() => $"NeighbourMatrix(count={Count}, k={K})";
}
