namespace GeoEdge.Geometry.Sampling;

/// <summary>One step of greedy farthest point sampling over a structure-of-arrays slice of points.</summary>
/// <remarks>
/// Every implementation computes exactly the same floats: <c>d = (dx*dx + dy*dy) + dz*dz</c> with
/// <c>dx = x - qx</c> in single precision, no fused multiply-add, then <c>minDist = min(minDist, d)</c>,
/// and returns the first index holding the largest updated value (torch's argmax keeps the first maximum).
/// </remarks>
internal interface IFarthestPointKernel
{
    /// <summary>Name used by GEOEDGE_SIMD and in benchmarks: scalar, vector128, vector256, vector512.</summary>
    string Name { get; }

    /// <summary>Updates <paramref name="minDist"/> with the distance to (qx, qy, qz); returns the first argmax and its value.</summary>
    /// <returns>The index within the slice, or -1 when the slice is empty.</returns>
    int UpdateAndArgMax(
        ReadOnlySpan<float> xs,
        ReadOnlySpan<float> ys,
        ReadOnlySpan<float> zs,
        Span<float> minDist,
        float qx,
        float qy,
        float qz,
        out float max);
}
