namespace GeoEdge.Geometry.Spatial;

/// <summary>What one neighbour search asks for, the same for every point of a cloud.</summary>
/// <param name="K">At most this many neighbours, nearest first, ties by lower index.</param>
/// <param name="Ceiling">Only neighbours with squared distance &lt;= this (float, as the kernels compute it).</param>
/// <param name="IncludeSelf">Whether the query point itself may be returned.</param>
/// <param name="StopWhenFull">Stop as soon as K neighbours under the ceiling are known (counting, not ranking).</param>
internal readonly record struct NeighbourQuery(int K, float Ceiling, bool IncludeSelf, bool StopWhenFull = false);

/// <summary>How a search runs: which distance kernel and how many threads. Never changes results.</summary>
internal readonly record struct NeighbourSearchSettings(SimdVariant Simd, int MaxDegreeOfParallelism)
{
    public static NeighbourSearchSettings Default => new(SimdSelection.Default, Environment.ProcessorCount);

    public static NeighbourSearchSettings WithParallelism(int maxDegreeOfParallelism) =>
        new(SimdSelection.Default, maxDegreeOfParallelism);
}

/// <summary>Receives each point's neighbours; called concurrently for different points.</summary>
internal interface INeighbourSink
{
    /// <summary>
    /// <paramref name="neighbours"/> are cloud indices, nearest first; both spans live only during the call.
    /// <paramref name="chunk"/> says which unit of work produced them, for sinks that buffer per chunk.
    /// </summary>
    void Accept(int chunk, int point, ReadOnlySpan<int> neighbours, ReadOnlySpan<float> squaredDistances);
}
