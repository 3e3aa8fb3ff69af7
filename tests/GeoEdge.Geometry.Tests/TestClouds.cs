using GeoEdge.Geometry;

namespace GeoEdge.Geometry.Tests;

/// <summary>Seeded random clouds and a snapshot helper for tests that check inputs stay untouched.</summary>
internal static class TestClouds
{
    /// <summary>Points uniform in [lo, hi)^3, or on an integer lattice of <paramref name="lattice"/> steps when given (many ties).</summary>
    public static float[] Positions(int count, int seed, float lo = -1f, float hi = 1f, int lattice = 0)
    {
        var random = new Random(seed);
        var p = new float[count * 3];
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = lattice > 0 ? random.Next(lattice) : lo + ((hi - lo) * random.NextSingle());
        }

        return p;
    }

    public static PointCloud Batched(int seed, params int[] sizes)
    {
        var clouds = new PointCloud[sizes.Length];
        for (int b = 0; b < sizes.Length; b++)
        {
            clouds[b] = new PointCloud(Positions(sizes[b], seed + b, -b - 1, b + 1));
        }

        return PointCloud.Batched(clouds);
    }

    /// <summary>A deep copy of everything a transform could write to.</summary>
    public static (float[] Positions, byte[][] Attributes, long[]? Batch) Snapshot(PointCloud cloud)
    {
        var attributes = new byte[cloud.Attributes.Count][];
        for (int a = 0; a < attributes.Length; a++)
        {
            attributes[a] = cloud.Attributes[a].Bytes.ToArray();
        }

        return ((float[])cloud.Positions.Clone(), attributes, (long[]?)cloud.Batch?.Clone());
    }

    public static void AssertUnchanged((float[] Positions, byte[][] Attributes, long[]? Batch) before, PointCloud cloud)
    {
        Assert.Equal(before.Positions, cloud.Positions);
        Assert.Equal(before.Batch, cloud.Batch);
        for (int a = 0; a < before.Attributes.Length; a++)
        {
            Assert.Equal(before.Attributes[a], cloud.Attributes[a].Bytes.ToArray());
        }
    }
}
