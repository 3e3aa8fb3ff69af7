namespace GeoEdge.Inference.Pipelines;

/// <summary>The drift features of one point cloud as the classification pipeline saw it: the quantities that move when the
/// sensor, the scene or the mounting changes, in the order and with the names the bundle's <c>drift</c> section uses.</summary>
/// <remarks>
/// <para>Why each one:</para>
/// <list type="bullet">
/// <item><c>points</c> — points the source delivered, before guards, outlier removal and sampling: a sensor's resolution,
/// range, occlusion or a cropping change moves it before anything else does.</item>
/// <item><c>removed_fraction</c> — the share of those points dropped as non-finite (guards) or removed as statistical
/// outliers: rain, dust, reflections or a failing sensor raise it.</item>
/// <item><c>extent</c> — the bounding-box diagonal of the sampled points before NormalizeScale, in the sensor's units: object
/// size, distance, a unit change (mm for m) or a scaled stream. NormalizeScale hides all of these from the model.</item>
/// <item><c>centroid_range</c> — the distance of the sampled points' centroid from the sensor origin, in the sensor's units:
/// where objects sit relative to the sensor, which a moved or re-aimed mounting changes.</item>
/// <item><c>spread</c> — the mean distance of the sampled points to their centroid over their largest |centred coordinate|
/// (the mean distance to the centroid after NormalizeScale, up to its 0.999999 shrink): unitless, in (0, sqrt 3]; partial
/// scans, flat clutter or a changed point density move it even when the scale is right.</item>
/// </list>
/// <para>Cost: two passes over the model's <c>points</c> sampled positions (plus counts the pipeline already has), no
/// allocation. The sampled positions are those the model is given, so training-time and device-time features match.</para>
/// </remarks>
/// <param name="Points">Points delivered, before any was dropped.</param>
/// <param name="RemovedFraction">(delivered − kept after guards and outlier removal) / delivered.</param>
/// <param name="Extent">Bounding-box diagonal of the sampled points (sensor units).</param>
/// <param name="CentroidRange">Distance of the sampled points' centroid from the origin (sensor units).</param>
/// <param name="Spread">Mean distance to the centroid over the largest |centred coordinate| (0 when all points coincide).</param>
public readonly record struct CloudDriftFeatures(int Points, double RemovedFraction, double Extent, double CentroidRange, double Spread)
{
    /// <summary>How many features a cloud has.</summary>
    public const int Count = 5;

    /// <summary>The feature names, in <see cref="CopyTo"/> order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["points", "removed_fraction", "extent", "centroid_range", "spread"];

    /// <summary>Measures a cloud: <paramref name="delivered"/> points arrived, <paramref name="kept"/> survived guards and
    /// outlier removal, and <paramref name="sampled"/> (row-major [n,3], before NormalizeScale) is what the model gets.</summary>
    public static CloudDriftFeatures Measure(int delivered, int kept, ReadOnlySpan<float> sampled)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delivered);
        ArgumentOutOfRangeException.ThrowIfNegative(kept);
        int n = sampled.Length / 3;
        double removed = delivered == 0 ? 0 : (double)(delivered - kept) / delivered;
        if (n == 0)
        {
            return new CloudDriftFeatures(delivered, removed, 0, 0, 0);
        }

        double sx = 0, sy = 0, sz = 0;
        double minX = double.PositiveInfinity, minY = double.PositiveInfinity, minZ = double.PositiveInfinity;
        double maxX = double.NegativeInfinity, maxY = double.NegativeInfinity, maxZ = double.NegativeInfinity;
        for (int i = 0; i < sampled.Length; i += 3)
        {
            double x = sampled[i], y = sampled[i + 1], z = sampled[i + 2];
            sx += x;
            sy += y;
            sz += z;
            (minX, maxX) = (Math.Min(minX, x), Math.Max(maxX, x));
            (minY, maxY) = (Math.Min(minY, y), Math.Max(maxY, y));
            (minZ, maxZ) = (Math.Min(minZ, z), Math.Max(maxZ, z));
        }

        double cx = sx / n, cy = sy / n, cz = sz / n;
        double distance = 0, largest = 0;
        for (int i = 0; i < sampled.Length; i += 3)
        {
            double dx = sampled[i] - cx, dy = sampled[i + 1] - cy, dz = sampled[i + 2] - cz;
            distance += Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz));
            largest = Math.Max(largest, Math.Max(Math.Abs(dx), Math.Max(Math.Abs(dy), Math.Abs(dz))));
        }

        double extent = Length(maxX - minX, maxY - minY, maxZ - minZ);
        double spread = largest == 0 ? 0 : distance / n / largest;
        return new CloudDriftFeatures(delivered, removed, extent, Length(cx, cy, cz), spread);
    }

    /// <summary>Writes the features in <see cref="Names"/> order into <paramref name="features"/> (at least <see cref="Count"/> long).</summary>
    public void CopyTo(Span<double> features)
    {
        features[4] = Spread;
        features[0] = Points;
        features[1] = RemovedFraction;
        features[2] = Extent;
        features[3] = CentroidRange;
    }

    private static double Length(double x, double y, double z) => Math.Sqrt((x * x) + (y * y) + (z * z));
}
