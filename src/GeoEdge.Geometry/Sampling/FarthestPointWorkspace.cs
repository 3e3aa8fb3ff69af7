namespace GeoEdge.Geometry.Sampling;

/// <summary>Reusable x, y, z and min-distance buffers for the span overload of <see cref="FarthestPointSampling"/>.</summary>
/// <remarks>Grows to the largest cloud seen and is then reused without allocating. One caller at a time (not thread-safe).</remarks>
public sealed class FarthestPointWorkspace
{
    internal float[] Xs { get; private set; } = [];

    internal float[] Ys { get; private set; } = [];

    internal float[] Zs { get; private set; } = [];

    internal float[] MinDistance { get; private set; } = [];

    /// <summary>Makes every buffer hold at least <paramref name="count"/> points.</summary>
    internal void Ensure(int count)
    {
        if (Xs.Length < count)
        {
            Xs = new float[count];
            Ys = new float[count];
            Zs = new float[count];
            MinDistance = new float[count];
        }
    }
}
