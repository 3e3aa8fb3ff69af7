using System.Runtime.InteropServices;

namespace GeoEdge.Benchmarks;

/// <summary>Benchmark inputs: seeded uniform clouds, or raw little-endian float32 [N,3] files written by the comparison script.</summary>
internal static class BenchData
{
    public static float[] Uniform(int count, int seed, float extent = 1f)
    {
        var random = new Random(seed);
        var p = new float[count * 3];
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = random.NextSingle() * extent;
        }

        return p;
    }

    public static float[] Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }
}
