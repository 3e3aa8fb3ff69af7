using GeoEdge.Geometry;
using GeoEdge.Geometry.IO;
using GeoEdge.Host.Models;

namespace GeoEdge.Host.Tests.Service;

/// <summary>Clouds for the failing model of <see cref="Models.StoreFixtures.PackFailing"/>: the self-test's unit sphere, turned
/// so that its first point (where farthest-point sampling starts) is the -x pole (runs) or the +x pole (throws).</summary>
internal static class FaultClouds
{
    /// <summary>Writes one binary PCD per entry of <paramref name="bad"/> into <paramref name="directory"/>, named
    /// "{i}-good.pcd" or "{i}-bad.pcd" (ordinal order = the given order); returns the paths in that order.</summary>
    public static IReadOnlyList<string> Write(string directory, params bool[] bad)
    {
        Directory.CreateDirectory(directory);
        var files = new List<string>(bad.Length);
        for (int i = 0; i < bad.Length; i++)
        {
            string file = Path.Combine(directory, $"{i}-{(bad[i] ? "bad" : "good")}.pcd");
            PointCloudWriter.Write(file, new PointCloud(Sphere(bad[i])));
            files.Add(file);
        }

        return files;
    }

    /// <summary>1024 points; the sphere's y pole (its first point) becomes x (+x when bad, -x when good).</summary>
    public static float[] Sphere(bool bad)
    {
        float[] sphere = PipelineSelfTest.ReferenceSphere(1024);
        float sign = bad ? 1 : -1;
        var turned = new float[sphere.Length];
        for (int i = 0; i < sphere.Length; i += 3)
        {
            turned[i] = sign * sphere[i + 1];
            turned[i + 1] = sphere[i];
            turned[i + 2] = sphere[i + 2];
        }

        return turned;
    }
}
