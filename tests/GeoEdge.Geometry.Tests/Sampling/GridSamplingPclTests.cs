using System.Globalization;
using System.Numerics;
using GeoEdge.Geometry;
using GeoEdge.Geometry.Sampling;

namespace GeoEdge.Geometry.Tests.Sampling;

/// <summary>Cross-check against PCL's own VoxelGrid: fixtures/pcl/voxel/ holds the input and pcl_voxel_grid's output (see make_fixture.py).</summary>
[Trait("Category", "Unit")]
public sealed class GridSamplingPclTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "fixtures", "pcl", "voxel");

    [Theory]
    [InlineData("leaf_0.1.csv", 0.1f, 0.1f, 0.1f)]
    [InlineData("leaf_mixed.csv", 0.1f, 0.25f, 0.05f)]
    public void Same_voxels_in_the_same_order_and_centroids_within_1e_6_of_pcl(string expectedFile, float x, float y, float z)
    {
        var cloud = new PointCloud(ReadAsciiPcdPositions(Path.Combine(Folder, "input.pcd")));
        float[] expected = ReadCsv(Path.Combine(Folder, expectedFile));

        PointCloud sampled = GridSampling.Apply(cloud, new Vector3(x, y, z));

        Assert.Equal(expected.Length / 3, sampled.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - sampled.Positions[i]) <= 1e-6,
                $"voxel {i / 3} axis {i % 3}: PCL {expected[i]:R}, GeoEdge {sampled.Positions[i]:R}");
        }
    }

    /// <summary>Just enough of PCD for this fixture: x y z floats after "DATA ascii".</summary>
    private static float[] ReadAsciiPcdPositions(string path)
    {
        var values = new List<float>();
        bool data = false;
        foreach (string line in File.ReadLines(path))
        {
            if (!data)
            {
                data = line == "DATA ascii";
                continue;
            }

            foreach (string token in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                values.Add(float.Parse(token, CultureInfo.InvariantCulture));
            }
        }

        return [.. values];
    }

    private static float[] ReadCsv(string path)
    {
        var values = new List<float>();
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            foreach (string token in line.Split(','))
            {
                values.Add(float.Parse(token, CultureInfo.InvariantCulture));
            }
        }

        return [.. values];
    }
}
