namespace GeoEdge.Geometry.Tests.Graphs;

/// <summary>Seeded clouds that stress neighbour search: random, duplicated, degenerate and batched.</summary>
internal static class NeighbourClouds
{
    public static PointCloud Uniform(int n, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        var p = new float[n * 3];
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = (float)random.NextDouble() * scale;
        }

        return new PointCloud(p);
    }

    /// <summary>Points drawn from a handful of locations: long runs of exact duplicates and distance ties.</summary>
    public static PointCloud Duplicates(int n, int locations, int seed)
    {
        var random = new Random(seed);
        PointCloud sites = Uniform(locations, seed + 1);
        var p = new float[n * 3];
        for (int i = 0; i < n; i++)
        {
            int s = random.Next(locations);
            Array.Copy(sites.Positions, s * 3, p, i * 3, 3);
        }

        return new PointCloud(p);
    }

    /// <summary>Integer coordinates in a small box: every distance is an exact integer, ties everywhere.</summary>
    public static PointCloud Lattice(int n, int size, int seed)
    {
        var random = new Random(seed);
        var p = new float[n * 3];
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = random.Next(size);
        }

        return new PointCloud(p);
    }

    public static PointCloud Collinear(int n, int seed)
    {
        var random = new Random(seed);
        var p = new float[n * 3];
        for (int i = 0; i < n; i++)
        {
            float t = random.Next(4) == 0 ? random.Next(20) : (float)random.NextDouble() * 20f;
            p[i * 3] = t;
            p[(i * 3) + 1] = 2f * t;
            p[(i * 3) + 2] = -t;
        }

        return new PointCloud(p);
    }

    public static PointCloud Planar(int n, int seed)
    {
        var random = new Random(seed);
        var p = new float[n * 3];
        for (int i = 0; i < n; i++)
        {
            p[i * 3] = (float)random.NextDouble();
            p[(i * 3) + 1] = (float)random.NextDouble() * 0.1f;
            p[(i * 3) + 2] = 1.5f;
        }

        return new PointCloud(p);
    }

    public static PointCloud AllSame(int n)
    {
        var p = new float[n * 3];
        for (int i = 0; i < n; i++)
        {
            p[i * 3] = 0.25f;
            p[(i * 3) + 1] = -3f;
            p[(i * 3) + 2] = 7f;
        }

        return new PointCloud(p);
    }

    /// <summary>Clustered and sparse: a dense blob, a far sparse halo, as a LiDAR scan near and far.</summary>
    public static PointCloud Skewed(int n, int seed)
    {
        var random = new Random(seed);
        var p = new float[n * 3];
        for (int i = 0; i < n; i++)
        {
            float scale = i % 10 == 0 ? 1000f : 0.01f;
            for (int d = 0; d < 3; d++)
            {
                p[(i * 3) + d] = (float)(random.NextDouble() - 0.5) * scale;
            }
        }

        return new PointCloud(p);
    }

    /// <summary>Coordinates so large that squared distances overflow to infinity: ties at +inf by index.</summary>
    public static PointCloud Huge(int n, int seed)
    {
        var random = new Random(seed);
        var p = new float[n * 3];
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = (float)((random.NextDouble() - 0.5) * 6e38);
        }

        return new PointCloud(p);
    }

    /// <summary>A surface scan like the model's inputs: a sphere patch and a plane with a little noise, in a unit box.</summary>
    public static PointCloud Scan(int n, int seed)
    {
        var random = new Random(seed);
        var p = new float[n * 3];
        for (int i = 0; i < n; i++)
        {
            if (i % 2 == 0)
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

    /// <summary>Two tight uniform blobs 1,000 units apart: nearly all of the box is empty.</summary>
    public static PointCloud TwoClusters(int n, int seed)
    {
        var random = new Random(seed);
        var p = new float[n * 3];
        for (int i = 0; i < n; i++)
        {
            float offset = i % 2 == 0 ? 0f : 1000f;
            for (int d = 0; d < 3; d++)
            {
                p[(i * 3) + d] = offset + random.NextSingle();
            }
        }

        return new PointCloud(p);
    }

    /// <summary>Points on the x axis, a quarter of them at integer positions (ties), the rest random.</summary>
    public static PointCloud AxisLine(int n, int seed)
    {
        var random = new Random(seed);
        var p = new float[n * 3];
        for (int i = 0; i < n; i++)
        {
            p[i * 3] = random.Next(4) == 0 ? random.Next(50) : (float)random.NextDouble() * 50f;
        }

        return new PointCloud(p);
    }

    private static double Noise(Random random) => (random.NextDouble() - 0.5) * 0.006;

    /// <summary>Examples of the given sizes (0 allowed), each a uniform cloud over the same unit box.</summary>
    public static PointCloud Batched(int seed, params int[] sizes)
    {
        var clouds = new PointCloud[sizes.Length];
        for (int b = 0; b < sizes.Length; b++)
        {
            clouds[b] = Uniform(sizes[b], seed + b);
        }

        return PointCloud.Batched(clouds);
    }

    private static readonly Lazy<(string Name, BruteForceNeighbours Reference)[]> SharedZoo =
        new(() => [.. Zoo().Select(z => (z.Name, new BruteForceNeighbours(z.Cloud)))]);

    /// <summary>The zoo with brute-force answers, built once and shared by every test that checks against it.</summary>
    public static IReadOnlyList<(string Name, BruteForceNeighbours Reference)> CheckedZoo => SharedZoo.Value;

    /// <summary>Every kind above, small enough for a brute-force check, with a name for messages.</summary>
    public static IEnumerable<(string Name, PointCloud Cloud)> Zoo()
    {
        yield return ("empty", new PointCloud([]));
        yield return ("single", new PointCloud([1f, 2f, 3f]));
        yield return ("two", new PointCloud([0f, 0f, 0f, 0f, 0f, 1f]));
        yield return ("uniform-17", Uniform(17, 1));
        yield return ("uniform-300", Uniform(300, 2));
        yield return ("uniform-1200", Uniform(1200, 3, 50f));
        yield return ("duplicates", Duplicates(400, 7, 4));
        yield return ("lattice", Lattice(500, 4, 5));
        yield return ("collinear", Collinear(300, 6));
        yield return ("planar", Planar(400, 7));
        yield return ("all-same", AllSame(300));
        yield return ("skewed", Skewed(600, 8));
        yield return ("huge", Huge(100, 9));
        yield return ("batched", Batched(10, 1, 0, 3, 40, 2, 300, 5));
    }
}
