using GeoEdge.Geometry.IO;
using GeoEdge.Geometry.Transforms;

namespace GeoEdge.Benchmarks;

/// <summary>Single-example clouds as the inference path sees them: seeded synthetic ones and the shapes-dgcnn test split.</summary>
internal static class KnnSpanClouds
{
    /// <summary>The first <paramref name="count"/> clouds of models/shapes-dgcnn/data/test.npz 'pos', each NormalizeScale'd as the pipeline does.</summary>
    public static float[][] RealTestClouds(int count)
    {
        NpyArray pos = NpzFile.Read(Path.Combine(RepositoryRoot(), "models", "shapes-dgcnn", "data", "test.npz"))["pos"];
        int points = pos.Shape[1];
        ReadOnlySpan<float> all = pos.AsSpan<float>();
        var clouds = new float[Math.Min(count, pos.Shape[0])][];
        for (int c = 0; c < clouds.Length; c++)
        {
            clouds[c] = all.Slice(c * points * 3, points * 3).ToArray();
            NormalizeScale.ApplyInPlace(clouds[c]);
        }

        return clouds;
    }

    /// <summary>The checkout: the first directory above the working directory or this assembly that holds GeoEdge.sln.</summary>
    private static string RepositoryRoot()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "GeoEdge.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("no GeoEdge.sln above the working directory or the benchmark assembly");
    }
}
