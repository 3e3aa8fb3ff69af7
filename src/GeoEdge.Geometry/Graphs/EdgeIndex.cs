namespace GeoEdge.Geometry.Graphs;

/// <summary>A PyTorch Geometric <c>edge_index</c>: int64 [2,E], row-major in one array.</summary>
/// <remarks>
/// <see cref="Data"/> is exactly <c>2 * EdgeCount</c> values, row 0 then row 1, so it is handed to ONNX
/// Runtime as a [2,E] tensor without copying. It belongs to this object and lives as long as it; spans from
/// <see cref="Sources"/> and <see cref="Targets"/> are views over it. Row 0 is always called the source and
/// row 1 the target, whatever <see cref="GraphFlow"/> put in them.
/// </remarks>
public sealed class EdgeIndex
{
    /// <summary>Wraps <paramref name="data"/> (taken, not copied): row 0 then row 1, even length.</summary>
    public EdgeIndex(long[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length % 2 != 0)
        {
            throw new ArgumentException($"edge_index data length {data.Length} is not even", nameof(data));
        }

        Data = data;
    }

    public static EdgeIndex Empty { get; } = new([]);

    /// <summary>E, the number of edges (columns).</summary>
    public int EdgeCount => Data.Length / 2;

    /// <summary>Row-major [2,E]: <c>Data[e]</c> is edge e's source, <c>Data[E + e]</c> its target.</summary>
    public long[] Data { get; }

    /// <summary>Row 0.</summary>
    public ReadOnlySpan<long> Sources => Data.AsSpan(0, EdgeCount);

    /// <summary>Row 1.</summary>
    public ReadOnlySpan<long> Targets => Data.AsSpan(EdgeCount, EdgeCount);

    public override string ToString() => $"EdgeIndex(edges={EdgeCount})";
}
