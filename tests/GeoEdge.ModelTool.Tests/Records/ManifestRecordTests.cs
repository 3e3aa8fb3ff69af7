using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.ModelTool.Tests.Records;

/// <summary>prune and quantize on a bundle: a re-signed bundle whose manifest records the pruning or quantization, with the sections fitted on the old graph dropped.</summary>
[Trait("Category", "Integration")]
public sealed class ManifestRecordTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public ManifestRecordTests()
    {
        // The shipped bundle plus calibration and evaluation sections, so the test sees them dropped.
        JsonObject spec = (JsonObject)JsonNode.Parse(File.ReadAllText(Fixtures.Path("shapes-dgcnn", "bundle", "manifest.json")))!;
        foreach (string computed in (string[])["created", "model", "files"])
        {
            spec.Remove(computed);
        }

        spec["calibration"] = new JsonObject { ["temperature"] = 1.5 };
        spec["evaluation"] = new JsonObject { ["metrics"] = new JsonObject { ["accuracy"] = 0.85 } };
        File.WriteAllText(_temp.File("spec.json"), spec.ToJsonString());
        CliResult packed = CliRunner.Run("pack", Fixtures.Path("shapes-dgcnn", "bundle", "model.onnx"), "--spec", _temp.File("spec.json"), "--key", Key, "--out", Input);
        Assert.True(packed.ExitCode == 0, packed.Stderr);
    }

    private static string Key => Fixtures.Path("dev-keys", "geoedge-dev.key.pem");

    private static string Pub => Fixtures.Path("dev-keys", "geoedge-dev.pub.pem");

    private string Input => _temp.File("input");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Structured_prune_of_a_bundle_records_method_per_group_sparsity_and_flops_and_drops_stale_sections()
    {
        string output = _temp.File("pruned");

        CliResult r = CliRunner.Run("prune", Input, "--out", output, "--key", Key, "--structured", "0.5");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("dropped calibration, evaluation: fitted on the input graph", r.Stdout, StringComparison.Ordinal);
        using ModelBundle bundle = ModelBundle.Open(output, TrustedKeys.FromPemFiles(Pub));
        Assert.Null(bundle.Manifest.Calibration);
        Assert.Null(bundle.Manifest.Evaluation);
        PruningRecord p = bundle.Manifest.Pruning!;
        Assert.Equal(("channel-l1", true), (p.Method, p.Structured));
        Assert.Equal(1 - (27756d / 58444), p.Sparsity, 12);
        Dictionary<string, JsonElement> x = p.Extensions!;
        Assert.Equal(0.5, x["targetSparsity"].GetDouble());
        Assert.Equal((46599168L, 20153856L), (x["flopsBefore"].GetInt64(), x["flopsAfter"].GetInt64()));
        Assert.Equal((58444L, 27756L), (x["parametersBefore"].GetInt64(), x["parametersAfter"].GetInt64()));
        JsonElement[] layers = [.. x["layers"].EnumerateArray()];
        JsonElement first = layers.Single(l => l.GetProperty("producers")[0].GetString() == "/convs.0/lin_i/Conv");
        Assert.Equal((32, 16, 0.5, 0.5), (first.GetProperty("channelsBefore").GetInt32(), first.GetProperty("channelsAfter").GetInt32(),
            first.GetProperty("targetSparsity").GetDouble(), first.GetProperty("achievedSparsity").GetDouble()));
        JsonElement kept = layers.Single(l => l.GetProperty("producers")[0].GetString() == "/lin/Conv");
        Assert.Equal(0d, kept.GetProperty("achievedSparsity").GetDouble());
        Assert.StartsWith("its channels reach the graph output 'embedding'", kept.GetProperty("keptWholeBecause").GetString(), StringComparison.Ordinal);

        // The bundle's model is the shrunk graph, and the manifest's file hash pins it.
        Assert.True(new FileInfo(bundle.ModelPath).Length < new FileInfo(Fixtures.Path("shapes-dgcnn", "bundle", "model.onnx")).Length / 2 + 20000);
    }

    [Fact]
    public void Unstructured_prune_records_each_layers_target_and_achieved_sparsity()
    {
        string output = _temp.File("sparse");

        CliResult r = CliRunner.Run("prune", Input, "--out", output, "--key", Key, "--unstructured", "0.5");

        Assert.True(r.ExitCode == 0, r.Stderr);
        using ModelBundle bundle = ModelBundle.Open(output, TrustedKeys.FromPemFiles(Pub));
        PruningRecord p = bundle.Manifest.Pruning!;
        Assert.Equal(("magnitude", false, 0.5), (p.Method, p.Structured, p.Sparsity));
        JsonElement[] layers = [.. p.Extensions!["layers"].EnumerateArray()];
        Assert.Equal(9, layers.Length);
        Assert.All(layers, l => Assert.Equal((0.5, 0.5), (l.GetProperty("targetSparsity").GetDouble(), l.GetProperty("achievedSparsity").GetDouble())));
        Assert.Contains(layers, l => l.GetProperty("weight").GetString() == "onnx::Conv_188" && l.GetProperty("elements").GetInt64() == 16384);
        Assert.Equal(p.Extensions["flopsBefore"].GetInt64(), p.Extensions["flopsAfter"].GetInt64());
    }

    [Fact]
    public void Static_quantize_of_a_bundle_records_method_per_channel_calibration_hash_and_kept_float_nodes()
    {
        string output = _temp.File("int8");
        string calibration = Fixtures.Path("shapes-dgcnn", "reference.npz");

        CliResult r = CliRunner.Run("quantize", Input, "--out", output, "--key", Key, "--static", "--calibration", calibration,
            "--method", "percentile", "--percentile", "99.9", "--per-channel", "--keep-float", "/head/head.4/Gemm,Conv");

        Assert.True(r.ExitCode == 0, r.Stderr);
        using ModelBundle bundle = ModelBundle.Open(output, TrustedKeys.FromPemFiles(Pub));
        QuantizationRecord q = bundle.Manifest.Quantization!;
        Assert.Equal(("static", "int8", "uint8", true, 8), (q.Method, q.WeightType, q.ActivationType, q.PerChannel, q.CalibrationSamples));
        Dictionary<string, JsonElement> x = q.Extensions!;
        Assert.Equal(("percentile", 99.9, 8), (x["calibrationMethod"].GetString(), x["calibrationPercentile"].GetDouble(), x["weightBits"].GetInt32()));
        JsonElement set = x["calibrationSet"];
        Assert.Equal("reference.npz", set.GetProperty("name").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(calibration))), set.GetProperty("sha256").GetString());
        Assert.Equal(8, set.GetProperty("samples").GetInt32());
        Assert.Equal(["/head/head.4/Gemm", "Conv"], x["keepFloat"].EnumerateArray().Select(e => e.GetString()));
        string?[] kept = [.. x["keptFloatNodes"].EnumerateArray().Select(e => e.GetString())];
        Assert.Equal(8, kept.Length);
        Assert.Contains("/head/head.4/Gemm", kept);
        Assert.Contains("/lin/Conv", kept);
        Assert.Equal(1, x["quantizedNodes"].GetProperty("Gemm").GetInt32());
        Assert.Equal(2, x["activations"].GetInt32());
        Assert.Null(bundle.Manifest.Calibration);
    }

    [Fact]
    public void Dynamic_quantize_of_a_bundle_records_no_calibration_set()
    {
        string output = _temp.File("dynamic.geob");

        CliResult r = CliRunner.Run("quantize", Input, "--out", output, "--key", Key, "--dynamic", "--reduce-range");

        Assert.True(r.ExitCode == 0, r.Stderr);
        using ModelBundle bundle = ModelBundle.Open(output, TrustedKeys.FromPemFiles(Pub));
        QuantizationRecord q = bundle.Manifest.Quantization!;
        Assert.Equal(("dynamic", false, null), (q.Method, q.PerChannel, q.CalibrationSamples));
        Assert.Equal(7, q.Extensions!["weightBits"].GetInt32());
        Assert.False(q.Extensions.ContainsKey("calibrationSet"));
        Assert.Equal((7, 2), (q.Extensions["quantizedNodes"].GetProperty("Conv").GetInt32(), q.Extensions["quantizedNodes"].GetProperty("Gemm").GetInt32()));
    }

    [Fact]
    public void A_bundle_input_without_a_key_is_a_usage_error_and_an_onnx_input_with_one_too()
    {
        CliResult bundle = CliRunner.Run("prune", Input, "--out", _temp.File("x"), "--unstructured", "0.5");
        CliResult onnx = CliRunner.Run("quantize", Fixtures.Path("shapes-dgcnn", "model.onnx"), "--out", _temp.File("x.onnx"), "--dynamic", "--key", Key);

        Assert.Equal((2, "geoedge-model: option --key KEY.pem (a bundle input is written as a signed bundle) is required"), (bundle.ExitCode, bundle.StderrLines[0]));
        Assert.Equal((2, "geoedge-model: --key, --trusted and --allow-unsigned apply to a bundle input only"), (onnx.ExitCode, onnx.StderrLines[0]));
        Assert.False(Directory.Exists(_temp.File("x")));
    }
}
