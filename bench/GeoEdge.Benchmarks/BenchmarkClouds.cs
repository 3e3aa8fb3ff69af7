using GeoEdge.Geometry;

namespace GeoEdge.Benchmarks;

/// <summary>Seeded clouds for the benchmarks: a uniform cube and a surface scan (sphere patch + plane + noise).</summary>
internal static class BenchmarkClouds
{
    public static PointCloud Create(string kind, int n, int seed = 7)
    {
        var random = new Random(seed + n);
        var p = new float[n * 3];
        for (int i = 0; i < n; i++)
        {
            if (kind == "uniform")
            {
                p[i * 3] = random.NextSingle();
                p[(i * 3) + 1] = random.NextSingle();
                p[(i * 3) + 2] = random.NextSingle();
            }
            else if (i % 2 == 0)
            {
                double theta = random.NextDouble() * Math.PI / 2, phi = random.NextDouble() * Math.PI;
                p[i * 3] = (float)((Math.Sin(phi) * Math.Cos(theta)) + Noise(random));
                p[(i * 3) + 1] = (float)((Math.Sin(phi) * Math.Sin(theta)) + Noise(random));
                p[(i * 3) + 2] = (float)(Math.Cos(phi) + Noise(random));
            }
            else
            {
                p[i * 3] = (float)((random.NextDouble() * 2) - 1);
                p[(i * 3) + 1] = (float)((random.NextDouble() * 2) - 1);
                p[(i * 3) + 2] = (float)(-1.2 + Noise(random));
            }
        }

        return new PointCloud(p);
    }

    /// <summary>The radius that gives about 16 neighbours per point in a uniform unit cube of n points.</summary>
    public static float RadiusFor(int n) => (float)Math.Cbrt(16.0 / (n * 4.0 / 3.0 * Math.PI));

    private static double Noise(Random random) => (random.NextDouble() - 0.5) * 0.006;
}
