using GeoEdge.Geometry;
using GeoEdge.Geometry.Transforms;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>The seeded robustness perturbations, applied to a NormalizeScale'd cloud so strengths are in units of the cloud's extent.</summary>
internal sealed record Perturbation(string Name, string Unit, double[] FullLevels, double QuickLevel, Func<double, int, IPointCloudTransform> Create)
{
    public static IReadOnlyList<Perturbation> All { get; } =
    [
        // Clip at 5 sigma: effectively unclipped Gaussian noise (the default 0.05 clip would cap the larger sigmas).
        new("jitter", "sigma", [0.005, 0.01, 0.02, 0.04], 0.02, (level, seed) => new RandomJitter(sigma: level, clip: 5 * level, seed: seed)),
        new("dropout", "fraction", [0.1, 0.25, 0.5], 0.25, (level, seed) => new RandomPointDropout(level, seed)),
        new("rotation", "degrees about z", [30, 90, 180], 90, (level, seed) => new RandomRotate(level, axis: 2, seed: seed)),
        new("outliers", "fraction", [0.01, 0.05, 0.1], 0.05, (level, seed) => new OutlierInjection(level, seed)),
    ];
}

/// <summary>Replaces a seeded fraction floor(ratio * n) of the points by points uniform in the cube [-1, 1]^3 (the normalized cloud's box).</summary>
internal sealed class OutlierInjection(double ratio, int seed) : IPointCloudTransform
{
    private readonly Random _random = new(seed);

    public PointCloud Apply(PointCloud cloud)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        float[] p = (float[])cloud.Positions.Clone();
        int n = cloud.Count;
        int k = (int)Math.Floor(ratio * n);
        for (int i = 0; i < k; i++)
        {
            int at = _random.Next(n);
            for (int axis = 0; axis < 3; axis++)
            {
                p[(3 * at) + axis] = (float)((2 * _random.NextDouble()) - 1);
            }
        }

        return cloud.WithPositions(p);
    }

    public override string ToString() => $"OutlierInjection(ratio={ratio}, seed={seed})";
}
