using System.Text.Json;
using GeoEdge.Geometry;
using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;
using GeoEdge.ModelTool.Datasets;

namespace GeoEdge.ModelTool.Tests.Quantize;

/// <summary>Static quantization calibrated on a folder of PCD/PLY files run through the bundle manifest's preprocessing.</summary>
[Trait("Category", "Integration")]
public sealed class CloudFolderCalibrationTests : IDisposable
{
    private const int Clouds = 6;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Bundle => Fixtures.Path("shapes-dgcnn", "bundle");

    private static string Key => Fixtures.Path("dev-keys", "geoedge-dev.key.pem");

    private static string Pub => Fixtures.Path("dev-keys", "geoedge-dev.pub.pem");

    private static float[] TestCloud(int index) =>
        NpzFile.Read(Fixtures.Path("shapes-dgcnn", "test.npz"))["pos"].AsSpan<float>().Slice(index * 1024 * 3, 1024 * 3).ToArray();

    [Fact]
    public void Pcd_and_ply_clouds_of_the_model_size_calibrate_exactly_as_the_same_clouds_in_an_npz()
    {
        // Shipped test clouds have exactly 1024 points, so the folder path (read, NormalizeScale, kNN) and the .npz path
        // (raw pos, NormalizeScale, kNN) must feed identical inputs and so write byte-identical quantized graphs.
        string folder = Directory.CreateDirectory(_temp.File("clouds")).FullName;
        var all = new float[Clouds * 1024 * 3];
        for (int c = 0; c < Clouds; c++)
        {
            float[] pos = TestCloud(c * 40);
            pos.CopyTo(all, c * 1024 * 3);
            string name = Path.Combine(folder, $"cloud{c}");
            if (c % 2 == 0)
            {
                PcdWriter.Write(name + ".pcd", new PointCloud(pos), PointCloudEncoding.Binary);
            }
            else
            {
                PlyWriter.Write(name + ".PLY", new PointCloud(pos), PointCloudEncoding.BinaryLittleEndian);
            }
        }

        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not a cloud");
        string npz = _temp.File("clouds.npz");
        NpzFile.Write(npz, [new("pos", NpyArray.FromFloat32(all, Clouds, 1024, 3))]);

        CliResult fromFolder = CliRunner.Run("quantize", Bundle, "--out", _temp.File("folder"), "--key", Key, "--static", "--calibration", folder, "--per-channel");
        CliResult fromNpz = CliRunner.Run("quantize", Fixtures.Path("shapes-dgcnn", "model.onnx"), "--out", _temp.File("npz.onnx"), "--static", "--calibration", npz, "--per-channel");

        Assert.True(fromFolder.ExitCode == 0, fromFolder.Stderr);
        Assert.True(fromNpz.ExitCode == 0, fromNpz.Stderr);
        Assert.Contains($"on {Clouds} samples (minmax)", fromFolder.Stdout, StringComparison.Ordinal);
        using ModelBundle q = ModelBundle.Open(_temp.File("folder"), TrustedKeys.FromPemFiles(Pub));
        Assert.Equal(File.ReadAllBytes(_temp.File("npz.onnx")), File.ReadAllBytes(q.ModelPath));

        JsonElement set = q.Manifest.Quantization!.Extensions!["calibrationSet"];
        var hashes = Directory.EnumerateFiles(folder).Where(f => !f.EndsWith(".txt", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetFileName(f), DatasetCardBuilder.FileSha256);
        Assert.Equal(("clouds/", Clouds, DatasetCardBuilder.SetSha256(hashes)), (set.GetProperty("name").GetString(), set.GetProperty("samples").GetInt32(), set.GetProperty("sha256").GetString()));
        Assert.Equal(Clouds, q.Manifest.Quantization.CalibrationSamples);
    }

    [Fact]
    public void Larger_clouds_are_sampled_to_the_model_size_and_samples_caps_the_files_used()
    {
        string folder = Directory.CreateDirectory(_temp.File("big")).FullName;
        for (int c = 0; c < 3; c++)
        {
            // 1024 points plus 500 copies shifted by 1 mm: farthest-point sampling has to pick 1024 of 1524.
            float[] pos = TestCloud(c);
            float[] big = [.. pos, .. pos.AsSpan(0, 1500).ToArray().Select(v => v + 0.001f)];
            PcdWriter.Write(Path.Combine(folder, $"c{c}.pcd"), new PointCloud(big), PointCloudEncoding.Ascii);
        }

        CliResult r = CliRunner.Run("quantize", Bundle, "--out", _temp.File("q"), "--key", Key, "--static", "--calibration", folder, "--samples", "2");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("on 2 samples (minmax)", r.Stdout, StringComparison.Ordinal);
        using ModelBundle q = ModelBundle.Open(_temp.File("q"), TrustedKeys.FromPemFiles(Pub));
        Assert.Equal(2, q.Manifest.Quantization!.CalibrationSamples);
    }

    [Fact]
    public void A_folder_with_an_onnx_input_is_a_usage_error_and_an_empty_folder_a_format_error()
    {
        string empty = Directory.CreateDirectory(_temp.File("empty")).FullName;

        CliResult onnx = CliRunner.Run("quantize", Fixtures.Path("shapes-dgcnn", "model.onnx"), "--out", _temp.File("x.onnx"), "--static", "--calibration", empty);
        CliResult none = CliRunner.Run("quantize", Bundle, "--out", _temp.File("x"), "--key", Key, "--static", "--calibration", empty);

        Assert.Equal(2, onnx.ExitCode);
        Assert.Contains("is a folder of clouds: it needs a bundle input", onnx.Stderr, StringComparison.Ordinal);
        Assert.Equal((1, $"geoedge-model: {empty}: no .pcd or .ply files to calibrate with"), (none.ExitCode, none.StderrLines[0]));
    }
}
