namespace GeoEdge.Geometry.Spatial;

/// <summary>Squared-distance filter over a run of points stored as separate x, y and z arrays.</summary>
/// <remarks>
/// Every implementation computes <c>d2 = dx*dx + dy*dy + dz*dz</c> in float, in that order, with separate
/// multiplies and adds (no fused multiply-add), so all variants select the same points with the same d2.
/// Implementations may read up to 15 floats past <c>count</c>; <see cref="KdTree"/> pads its arrays for that.
/// </remarks>
internal interface IDistanceKernel
{
    /// <summary>
    /// Writes, in slot order, the slots in [0, count) whose squared distance to q is &lt;= bound, and their
    /// squared distances; returns how many. Outputs need room for <paramref name="count"/> entries.
    /// </summary>
    static abstract int Collect(
        ref float xs,
        ref float ys,
        ref float zs,
        int count,
        float qx,
        float qy,
        float qz,
        float bound,
        ref float squaredOut,
        ref int slotOut);
}
