using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using GeoEdge.Geometry;
using GeoEdge.Geometry.IO;

namespace GeoEdge.Host.Tests;

[Trait("Category", "Integration")]
public sealed class CloudCommandTests
{
    [Fact]
    public void Inspect_json_reports_fields_counts_bounds_and_the_xyz_digest()
    {
        using var dir = new TempDirectory();
        float[] xyz = [1, 2, 3, float.NaN, float.NaN, float.NaN, -1, 5, 0.5f, 4, -2, 7];
        var intensity = new AttributeChannel("intensity", ScalarType.UInt16, 1, 4);
        var cloud = new PointCloud(xyz, 2, 2, [intensity]);
        string file = dir.File("organized.pcd");
        PcdWriter.Write(file, cloud, PointCloudEncoding.BinaryCompressed);

        CliResult result = CliRunner.Run("cloud", "inspect", file, "--json");

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement root = json.RootElement;
        Assert.Equal("pcd", root.GetProperty("format").GetString());
        Assert.Equal("binary_compressed", root.GetProperty("encoding").GetString());
        Assert.Equal(4, root.GetProperty("points").GetInt32());
        Assert.Equal(2, root.GetProperty("height").GetInt32());
        Assert.True(root.GetProperty("organized").GetBoolean());
        Assert.Equal(3, root.GetProperty("finitePoints").GetInt32());
        Assert.Equal(["x:f4:1", "y:f4:1", "z:f4:1", "intensity:u2:1"], Fields(root));
        Assert.Equal([-1f, -2f, 0.5f], Vector(root.GetProperty("boundingBox").GetProperty("min")));
        Assert.Equal([4f, 5f, 7f], Vector(root.GetProperty("boundingBox").GetProperty("max")));
        Assert.Equal(ReferenceDigest(xyz), root.GetProperty("xyzSha256").GetString());
    }

    [Fact]
    public void The_digest_is_the_same_for_the_same_geometry_in_every_format_and_encoding()
    {
        using var dir = new TempDirectory();
        var cloud = new PointCloud(RandomPositions(200, seed: 3));
        string source = dir.File("source.pcd");
        PcdWriter.Write(source, cloud, PointCloudEncoding.Ascii);
        var digests = new HashSet<string>();

        foreach ((string name, string encoding) in new[]
        {
            ("a.pcd", "binary"), ("b.pcd", "binary_compressed"), ("c.ply", "ascii"),
            ("d.ply", "binary_little_endian"), ("e.ply", "binary_big_endian"),
        })
        {
            Assert.Equal(0, CliRunner.Run("cloud", "convert", source, dir.File(name), "--encoding", encoding).ExitCode);
            CliResult inspect = CliRunner.Run("cloud", "inspect", dir.File(name), "--json");
            using JsonDocument json = JsonDocument.Parse(inspect.Stdout);
            Assert.Equal(encoding, json.RootElement.GetProperty("encoding").GetString());
            digests.Add(json.RootElement.GetProperty("xyzSha256").GetString()!);
        }

        Assert.Equal([ReferenceDigest(cloud.Positions)], digests);
    }

    [Fact]
    public void Knn_writes_nearest_first_indices_that_match_brute_force()
    {
        using var dir = new TempDirectory();
        float[] xyz = RandomPositions(300, seed: 11);
        string file = dir.File("cloud.ply");
        PlyWriter.Write(file, new PointCloud(xyz), PointCloudEncoding.BinaryLittleEndian);

        CliResult result = CliRunner.Run("cloud", "knn", file, "--k", "6", "--out", dir.File("knn.npy"));

        Assert.Equal(0, result.ExitCode);
        NpyArray knn = NpyFile.Read(dir.File("knn.npy"));
        Assert.Equal(NpyDType.Int64, knn.DType);
        Assert.Equal([300, 6], knn.Shape);
        Assert.Equal(BruteForceKnn(xyz, 6), knn.AsSpan<long>().ToArray());
    }

    [Fact]
    public void Downsample_and_denoise_write_smaller_clouds_in_the_input_encoding()
    {
        using var dir = new TempDirectory();
        float[] xyz = RandomPositions(2000, seed: 5);
        xyz[0] = 50;
        xyz[1] = 50;
        xyz[2] = 50;
        string file = dir.File("in.pcd");
        PcdWriter.Write(file, new PointCloud(xyz), PointCloudEncoding.BinaryCompressed);

        Assert.Equal(0, CliRunner.Run("cloud", "downsample", file, dir.File("fps.pcd"), "--fps", "128").ExitCode);
        Assert.Equal(0, CliRunner.Run("cloud", "downsample", file, dir.File("voxel.ply"), "--voxel", "0.25").ExitCode);
        Assert.Equal(0, CliRunner.Run("cloud", "denoise", file, dir.File("sor.pcd"), "--sor", "8,1.0").ExitCode);

        PointCloudFile fps = PcdReader.Read(dir.File("fps.pcd"));
        Assert.Equal(128, fps.Cloud.Count);
        Assert.Equal(PointCloudEncoding.BinaryCompressed, fps.Encoding);
        Assert.Equal([50f, 50, 50], fps.Cloud.Positions[..3]);
        PointCloudFile voxel = PlyReader.Read(dir.File("voxel.ply"));
        Assert.InRange(voxel.Cloud.Count, 2, 1999);
        PointCloud sor = PcdReader.Read(dir.File("sor.pcd")).Cloud;
        Assert.InRange(sor.Count, 1, 1999);
        Assert.NotEqual(50f, sor.Positions[0]);
    }

    [Fact]
    public void A_bad_file_prints_one_line_naming_it_and_exits_1()
    {
        using var dir = new TempDirectory();
        string file = dir.File("broken.pcd");
        File.WriteAllText(file, "# .PCD v0.7\nVERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1\nWIDTH 10\nHEIGHT 1\nPOINTS 10\nDATA binary\n\0\0\0\0");

        CliResult result = CliRunner.Run("cloud", "inspect", file);

        Assert.Equal(1, result.ExitCode);
        string[] lines = result.Stderr.TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("geoedge: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("broken.pcd", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Knn_refuses_non_finite_points_and_convert_drop_nonfinite_makes_a_finite_copy()
    {
        using var dir = new TempDirectory();
        string file = dir.File("organized.pcd");
        PcdWriter.Write(file, new PointCloud([0, 0, 0, float.NaN, 1, 1, 1, 1, 1, 2, 2, 2], 2, 2), PointCloudEncoding.Binary);

        CliResult refused = CliRunner.Run("cloud", "knn", file, "--k", "1", "--out", dir.File("knn.npy"));
        CliResult converted = CliRunner.Run("cloud", "convert", file, dir.File("finite.pcd"), "--drop-nonfinite");
        CliResult knn = CliRunner.Run("cloud", "knn", dir.File("finite.pcd"), "--k", "1", "--out", dir.File("knn.npy"));

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--drop-nonfinite", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, converted.ExitCode);
        Assert.Equal(0, knn.ExitCode);
        // finite points (0,0,0), (1,1,1), (2,2,2): the middle one is equally far from both, ties go to index 0
        Assert.Equal([1L, 0, 1], NpyFile.Read(dir.File("knn.npy")).AsSpan<long>().ToArray());
    }

    [Theory]
    [InlineData("cloud")]
    [InlineData("cloud", "knn", "x.pcd", "--k", "0", "--out", "y.npy")]
    [InlineData("cloud", "downsample", "a.pcd", "b.pcd")]
    [InlineData("cloud", "convert", "a.pcd", "b.pcd", "--encoding", "zip")]
    [InlineData("cloud", "inspect", "a.pcd", "--jsn")]
    public void Command_line_mistakes_exit_2_with_one_line(params string[] args)
    {
        CliResult result = CliRunner.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void A_missing_file_exits_1_and_names_it()
    {
        CliResult result = CliRunner.Run("cloud", "inspect", "/nonexistent/cloud.pcd");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("/nonexistent/cloud.pcd", result.Stderr, StringComparison.Ordinal);
    }

    private static string[] Fields(JsonElement root)
    {
        var names = new List<string>();
        foreach (JsonElement f in root.GetProperty("fields").EnumerateArray())
        {
            names.Add($"{f.GetProperty("name").GetString()}:{f.GetProperty("type").GetString()}:{f.GetProperty("count").GetInt32()}");
        }

        return [.. names];
    }

    private static float[] Vector(JsonElement array) =>
        [array[0].GetSingle(), array[1].GetSingle(), array[2].GetSingle()];

    private static string ReferenceDigest(float[] xyz)
    {
        byte[] bytes = new byte[xyz.Length * 4];
        for (int i = 0; i < xyz.Length; i++)
        {
            uint bits = float.IsNaN(xyz[i]) ? 0x7FC00000u : BitConverter.SingleToUInt32Bits(xyz[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), bits);
        }

        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    private static float[] RandomPositions(int count, int seed)
    {
        var random = new Random(seed);
        float[] xyz = new float[count * 3];
        for (int i = 0; i < xyz.Length; i++)
        {
            xyz[i] = (float)random.NextDouble();
        }

        return xyz;
    }

    private static long[] BruteForceKnn(float[] xyz, int k)
    {
        int n = xyz.Length / 3;
        long[] result = new long[n * k];
        var order = new List<(float D, int J)>(n);
        for (int i = 0; i < n; i++)
        {
            order.Clear();
            for (int j = 0; j < n; j++)
            {
                if (j == i)
                {
                    continue;
                }

                float dx = xyz[j * 3] - xyz[i * 3], dy = xyz[(j * 3) + 1] - xyz[(i * 3) + 1], dz = xyz[(j * 3) + 2] - xyz[(i * 3) + 2];
                order.Add(((dx * dx) + (dy * dy) + (dz * dz), j));
            }

            order.Sort();
            for (int m = 0; m < k; m++)
            {
                result[(i * k) + m] = order[m].J;
            }
        }

        return result;
    }
}
