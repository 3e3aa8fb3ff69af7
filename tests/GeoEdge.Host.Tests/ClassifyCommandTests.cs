using System.Security.Cryptography;
using System.Text.Json;
using GeoEdge.Geometry;
using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Runtime;

namespace GeoEdge.Host.Tests;

/// <summary>`geoedge classify` on the shipped shapes-dgcnn bundle and the reference clouds in tests/fixtures/shapes
/// (written by make_shapes_samples.py from models/shapes-dgcnn/reference.npz, sample index in the file name).</summary>
[Trait("Category", "Integration")]
public sealed class ClassifyCommandTests
{
    private const double PyTorchTolerance = 1e-4;

    private static readonly (string File, int Sample, string Label)[] Samples =
    [
        ("reference0_tetrahedron.pcd", 0, "tetrahedron"),
        ("reference2_triangular_prism.pcd", 2, "triangular_prism"),
        ("reference4_sphere.pcd", 4, "sphere"),
    ];

    [Fact]
    public void Json_reports_the_pytorch_label_and_logits_of_each_shipped_sample()
    {
        IReadOnlyDictionary<string, NpyArray> reference = NpzFile.Read(RepositoryFiles.ShapesReference);
        ReadOnlySpan<float> expectedLogits = reference["logits"].AsSpan<float>();

        CliResult result = Classify([.. Array.ConvertAll(Samples, s => Sample(s.File)), "--json"]);

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement bundle = json.RootElement.GetProperty("bundle");
        Assert.Equal("shapes-dgcnn", bundle.GetProperty("name").GetString());
        Assert.Equal(Sha256Hex(Path.Combine(RepositoryFiles.ShapesBundle, "manifest.json")), bundle.GetProperty("manifestSha256").GetString());
        JsonElement[] results = [.. json.RootElement.GetProperty("results").EnumerateArray()];
        Assert.Equal(Samples.Length, results.Length);
        for (int i = 0; i < Samples.Length; i++)
        {
            (string file, int sample, string label) = Samples[i];
            JsonElement r = results[i];
            Assert.Equal(Sample(file), r.GetProperty("file").GetString());
            Assert.Equal(label, r.GetProperty("label").GetString());
            Assert.Equal(1024, r.GetProperty("inputPoints").GetInt32());
            float[] logits = [.. r.GetProperty("logits").EnumerateArray().Select(e => e.GetSingle())];
            Assert.Equal(12, logits.Length);
            int argmax = 0;
            for (int c = 0; c < 12; c++)
            {
                float pytorch = expectedLogits[(sample * 12) + c];
                Assert.True(Math.Abs(logits[c] - pytorch) <= PyTorchTolerance, $"{file} logit {c}: geoedge {logits[c]}, PyTorch {pytorch}");
                argmax = expectedLogits[(sample * 12) + c] > expectedLogits[(sample * 12) + argmax] ? c : argmax;
            }

            Assert.Equal(argmax, r.GetProperty("index").GetInt32());
            JsonElement[] topK = [.. r.GetProperty("topK").EnumerateArray()];
            Assert.Equal(5, topK.Length);
            Assert.Equal(argmax, topK[0].GetProperty("index").GetInt32());
            Assert.Equal(label, topK[0].GetProperty("label").GetString());
            for (int k = 1; k < topK.Length; k++)
            {
                Assert.True(topK[k - 1].GetProperty("probability").GetDouble() >= topK[k].GetProperty("probability").GetDouble());
            }

            Assert.Equal("energy", r.GetProperty("ood").GetProperty("score").GetString());
        }
    }

    [Fact]
    public void Json_numbers_parse_back_to_the_exact_bits_the_pipeline_computed_and_repeat_byte_for_byte()
    {
        string file = Sample(Samples[1].File);
        using ModelBundle bundle = ModelBundle.Open(RepositoryFiles.ShapesBundle, TrustedKeys.FromPemFiles(RepositoryFiles.DevPublicKey));
        using var pipeline = new PointCloudClassification(bundle, new PointCloudClassificationOptions
        {
            TopK = 3,
            MaxDegreeOfParallelism = 1,
            Session = new ModelSessionOptions { IntraOpThreads = 1, InterOpThreads = 1, MaxConcurrency = 1 },
        });
        CloudClassification expected = pipeline.Classify(PointCloudReader.Read(file).Cloud).Value!;

        CliResult first = Classify(file, "--top", "3", "--json");
        CliResult second = Classify(file, "--top", "3", "--json");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Stdout, second.Stdout);
        using JsonDocument json = JsonDocument.Parse(first.Stdout);
        JsonElement r = json.RootElement.GetProperty("results")[0];
        int[] logitBits = [.. r.GetProperty("logits").EnumerateArray().Select(e => BitConverter.SingleToInt32Bits(e.GetSingle()))];
        Assert.Equal(Array.ConvertAll(expected.Logits, BitConverter.SingleToInt32Bits), logitBits);
        JsonElement[] topK = [.. r.GetProperty("topK").EnumerateArray()];
        Assert.Equal(3, topK.Length);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(expected.TopK[k].Index, topK[k].GetProperty("index").GetInt32());
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.TopK[k].Probability), BitConverter.DoubleToInt64Bits(topK[k].GetProperty("probability").GetDouble()));
        }

        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Ood.Value), BitConverter.DoubleToInt64Bits(r.GetProperty("ood").GetProperty("value").GetDouble()));
    }

    [Fact]
    public void A_cloud_the_guards_refuse_is_reported_beside_the_others_and_exits_1()
    {
        using var dir = new TempDirectory();
        string small = dir.File("small.pcd");
        PcdWriter.Write(small, new PointCloud([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]), PointCloudEncoding.Binary);

        CliResult result = Classify(small, Sample(Samples[2].File), "--json");

        Assert.Equal(1, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement[] results = [.. json.RootElement.GetProperty("results").EnumerateArray()];
        Assert.Equal("TooFewPoints", results[0].GetProperty("rejected").GetProperty("reason").GetString());
        Assert.Contains("4 usable points", results[0].GetProperty("rejected").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(results[0].TryGetProperty("logits", out _));
        Assert.Equal("sphere", results[1].GetProperty("label").GetString());
    }

    [Fact]
    public void Text_output_is_one_line_per_file()
    {
        CliResult result = Classify(Sample(Samples[0].File), Sample(Samples[2].File));

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{Sample(Samples[0].File)}: tetrahedron (class 9, p=", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{Sample(Samples[2].File)}: sphere (class 0, p=", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_bundle_not_signed_by_a_trusted_key_exits_1_with_one_line_naming_the_bundle()
    {
        using var dir = new TempDirectory();
        using (ECDsa other = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            File.WriteAllText(dir.File("other.pub.pem"), other.ExportSubjectPublicKeyInfoPem());
        }

        CliResult result = CliRunner.Run("classify", "--bundle", RepositoryFiles.ShapesBundle, "--keys", dir.File("other.pub.pem"), Sample(Samples[0].File));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(RepositoryFiles.ShapesBundle, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_cloud_file_exits_1_and_names_it()
    {
        CliResult result = Classify("/nonexistent/cloud.pcd");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("/nonexistent/cloud.pcd", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("classify", "a.pcd", "--keys", "k.pem")]
    [InlineData("classify", "a.pcd", "--bundle", "b")]
    [InlineData("classify", "--bundle", "b", "--keys", "k.pem")]
    [InlineData("classify", "a.pcd", "--bundle", "b", "--keys", "k.pem", "--top", "0")]
    [InlineData("classify", "a.pcd", "--bundle", "b", "--keys", "k.pem", "--jsn")]
    public void Command_line_mistakes_exit_2_with_one_line(params string[] args)
    {
        CliResult result = CliRunner.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
    }

    private static CliResult Classify(params string[] args) =>
        CliRunner.Run(["classify", "--bundle", RepositoryFiles.ShapesBundle, "--keys", RepositoryFiles.DevPublicKey, .. args]);

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "shapes", name);

    private static string Sha256Hex(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
