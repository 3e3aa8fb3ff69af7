namespace GeoEdge.Geometry.Transforms;

/// <summary>PyG NormalizeScale: centre each example on its mean, then scale so its largest absolute coordinate is 0.999999.</summary>
/// <remarks>
/// PyG's rule exactly: <c>pos = pos - pos.mean(0)</c>, <c>scale = (1 / pos.abs().max()) * 0.999999</c>,
/// <c>pos = pos * scale</c> — the largest |coordinate| (an L-infinity box), not the largest distance, so the
/// points end inside the unit cube and not always inside the unit sphere. Subtraction, the scale and the
/// product are single precision as in torch; the mean is summed in double and rounded once (torch sums in
/// float). Each example of a batched cloud is normalised on its own. An example whose points all coincide
/// is centred and left unscaled (PyG would divide by zero). Non-finite coordinates propagate.
/// </remarks>
public sealed class NormalizeScale : IPointCloudTransform
{
    /// <summary>The factor PyG applies so that no coordinate reaches exactly 1.</summary>
    public const float Shrink = 0.999999f;

    public PointCloud Apply(PointCloud cloud)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        float[] src = cloud.Positions;
        var dst = new float[src.Length];
        for (int b = 0; b < cloud.BatchCount; b++)
        {
            (int start, int end) = cloud.BatchRange(b);
            NormalizeExample(src.AsSpan(3 * start, 3 * (end - start)), dst.AsSpan(3 * start, 3 * (end - start)));
        }

        return cloud.WithPositions(dst);
    }

    /// <summary>Normalises one example given as row-major [n,3] <paramref name="positions"/> in place, with exactly <see cref="Apply"/>'s arithmetic.</summary>
    /// <remarks>Allocation-free, for hot paths that own their buffer (e.g. a model's input tensor).</remarks>
    public static void ApplyInPlace(Span<float> positions)
    {
        if (positions.Length % 3 != 0)
        {
            throw new ArgumentException($"{positions.Length} floats is not a whole number of xyz points", nameof(positions));
        }

        NormalizeExample(positions, positions);
    }

    public override string ToString() => "NormalizeScale()";

    // src and dst may be the same memory: the mean is read before any write, and each element is read before it is written.
    private static void NormalizeExample(ReadOnlySpan<float> src, Span<float> dst)
    {
        int n = src.Length / 3;
        if (n == 0)
        {
            return;
        }

        double sx = 0, sy = 0, sz = 0;
        for (int i = 0; i < n; i++)
        {
            sx += src[3 * i];
            sy += src[(3 * i) + 1];
            sz += src[(3 * i) + 2];
        }

        float mx = (float)(sx / n), my = (float)(sy / n), mz = (float)(sz / n);
        float maxAbs = 0;
        for (int i = 0; i < n; i++)
        {
            dst[3 * i] = src[3 * i] - mx;
            dst[(3 * i) + 1] = src[(3 * i) + 1] - my;
            dst[(3 * i) + 2] = src[(3 * i) + 2] - mz;
            maxAbs = MathF.Max(maxAbs, MathF.Max(MathF.Abs(dst[3 * i]), MathF.Max(MathF.Abs(dst[(3 * i) + 1]), MathF.Abs(dst[(3 * i) + 2]))));
        }

        float scale = maxAbs == 0 ? 1f : (1f / maxAbs) * Shrink;
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] *= scale;
        }
    }
}
