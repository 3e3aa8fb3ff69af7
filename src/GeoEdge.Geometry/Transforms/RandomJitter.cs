namespace GeoEdge.Geometry.Transforms;

/// <summary>Adds seeded per-coordinate noise: clipped Gaussian (sigma, PointNet++/DGCNN jitter) or uniform (translate, PyG RandomJitter).</summary>
/// <remarks>
/// One draw per coordinate in storage order x0, y0, z0, x1, ..., from this instance's
/// <c>System.Random(seed)</c>; later Apply calls continue the stream, so two instances with equal seeds
/// give equal results call for call. Gaussian: <c>clamp(sigma * N(0,1), -clip, clip)</c> with N(0,1) from
/// Box-Muller (each pair of coordinates takes one (u1, u2) pair: cos for the first, sin for the second);
/// clip defaults to 0.05 as PointNet++'s jitter_point_cloud (DGCNN uses 0.02). Uniform:
/// <c>-translate + 2 * translate * u</c>, u in [0, 1), as torch's uniform_(-translate, translate).
/// The sum <c>p + noise</c> is taken in double and rounded once to float.
/// </remarks>
public sealed class RandomJitter : IPointCloudTransform
{
    public const double DefaultClip = 0.05;

    private readonly SeededRandom _random;

    /// <summary>Give exactly one of <paramref name="sigma"/> (Gaussian) or <paramref name="translate"/> (uniform).</summary>
    public RandomJitter(double? sigma = null, double? translate = null, double clip = DefaultClip, int seed = 0)
    {
        if (sigma.HasValue == translate.HasValue)
        {
            throw new ArgumentException("give exactly one of sigma (Gaussian jitter) or translate (uniform jitter)", nameof(sigma));
        }

        if (sigma is double s && !(s >= 0 && double.IsFinite(s)))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be finite and >= 0");
        }

        if (translate is double t && !(t >= 0 && double.IsFinite(t)))
        {
            throw new ArgumentOutOfRangeException(nameof(translate), translate, "translate must be finite and >= 0");
        }

        if (!(clip >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(clip), clip, "clip must be >= 0");
        }

        Sigma = sigma;
        Translate = translate;
        Clip = clip;
        Seed = seed;
        _random = new SeededRandom(seed);
    }

    public double? Sigma { get; }

    public double? Translate { get; }

    public double Clip { get; }

    public int Seed { get; }

    public PointCloud Apply(PointCloud cloud)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        float[] src = cloud.Positions;
        var dst = new float[src.Length];
        lock (_random.Gate)
        {
            for (int i = 0; i < src.Length; i++)
            {
                dst[i] = (float)(src[i] + NextNoise());
            }
        }

        return cloud.WithPositions(dst);
    }

    public override string ToString()
    {
        string seed = $"seed={TransformText.Number(Seed)}";
        if (Translate is double t)
        {
            return $"RandomJitter(translate={TransformText.Number(t)}, {seed})";
        }

        string clip = Clip == DefaultClip ? string.Empty : $"clip={TransformText.Number(Clip)}, ";
        return $"RandomJitter(sigma={TransformText.Number(Sigma!.Value)}, {clip}{seed})";
    }

    private double NextNoise()
    {
        if (Translate is double t)
        {
            return -t + (2 * t * _random.NextDouble());
        }

        return Math.Clamp(Sigma!.Value * _random.NextGaussian(), -Clip, Clip);
    }
}
