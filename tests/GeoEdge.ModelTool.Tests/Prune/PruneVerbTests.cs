using System.Text.Json;
using GeoEdge.Geometry.IO;
using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;
using GeoEdge.ModelTool.Tests.Optimize;
using Google.Protobuf;

namespace GeoEdge.ModelTool.Tests.Prune;

/// <summary>`geoedge-model prune` on the shipped shapes-dgcnn model and on a hand-built graph: shrunk shapes, report, accuracy, refusal.</summary>
[Trait("Category", "Integration")]
public sealed class PruneVerbTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Dgcnn(string name) => Fixtures.Path("shapes-dgcnn", name);

    [Fact]
    public void Shapes_dgcnn_pruned_structurally_has_half_the_edgeconv_and_head_channels_and_runs_in_onnx_runtime()
    {
        string output = _temp.File("pruned.onnx");
        string report = _temp.File("report.json");

        CliResult r = CliRunner.Run("prune", Dgcnn("model.onnx"), "--out", output, "--structured", "0.5", "--report", report, "--data", Dgcnn("test.npz"));

        Assert.Equal((0, string.Empty), (r.ExitCode, r.Stderr));
        Assert.Contains("group /convs.0/lin_i/Conv + /convs.0/lin_j/Conv: channels 32 -> 16", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("group /lin/Conv: kept 128 channels: its channels reach the graph output 'embedding'", r.Stdout, StringComparison.Ordinal);
        ModelProto m = OnnxModel.Load(output).Proto;
        Assert.Equal([16L, 3, 1], PruneGraphs.Dims(m, "convs.0.lin_j.weight"));
        Assert.Equal([16L, 16, 1], PruneGraphs.Dims(m, "convs.1.lin_i.weight"));
        Assert.Equal([32L, 16, 1], PruneGraphs.Dims(m, "convs.2.lin_j.weight"));
        Assert.Equal([16L], PruneGraphs.Dims(m, "convs.0.bn.running_var"));
        Assert.Equal([128L, 64, 1], PruneGraphs.Dims(m, "onnx::Conv_188"));
        Assert.Equal([64L, 256], PruneGraphs.Dims(m, "head.0.weight"));
        Assert.Equal([12L, 64], PruneGraphs.Dims(m, "head.4.weight"));
        Assert.Equal(17, m.OpsetImport.Single(o => o.Domain.Length == 0).Version);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        JsonElement root = json.RootElement;
        Assert.Equal((46599168L, 20153856L), (root.GetProperty("flops_before").GetInt64(), root.GetProperty("flops_after").GetInt64()));
        Assert.Equal((58444L, 27756L), (root.GetProperty("parameters_before").GetInt64(), root.GetProperty("parameters_after").GetInt64()));
        Assert.Equal(0d, root.GetProperty("masked_model_max_rel_error").GetDouble());
        Assert.Equal("pos [1,1024,3], knn [1,1024,16]", root.GetProperty("proof_input").GetString());
        JsonElement manifest = root.GetProperty("manifest_pruning");
        Assert.Equal(("channel-l1", true), (manifest.GetProperty("method").GetString(), manifest.GetProperty("structured").GetBoolean()));
        Assert.Equal(1 - (27756d / 58444), manifest.GetProperty("sparsity").GetDouble(), 12);

        // 205 of 240 before; without fine-tuning, removing half the channels leaves chance level (20 of 240).
        Assert.Equal((240, 205d / 240, 20d / 240), (root.GetProperty("test_samples").GetInt32(), root.GetProperty("accuracy_before").GetDouble(), root.GetProperty("accuracy_after").GetDouble()));

        IReadOnlyDictionary<string, NpyArray> reference = NpzFile.Read(Dgcnn("reference.npz"));
        using var session = new OrtEvaluator(m.ToByteArray());
        List<ProofOutput> outputs = session.Run([
            new ProofTensor("pos", [8, 1024, 3], reference["pos"].AsSpan<float>().ToArray(), null),
            new ProofTensor("knn", [8, 1024, 16], null, reference["knn"].AsSpan<long>().ToArray()),
        ]);
        Assert.Equal([8L, 12], outputs.Single(o => o.Name == "logits").Shape);
        Assert.Equal([8L, 256], outputs.Single(o => o.Name == "embedding").Shape);
    }

    [Fact]
    public void Shapes_dgcnn_unstructured_reports_each_layer_at_half_sparsity()
    {
        string output = _temp.File("sparse.onnx");
        string report = _temp.File("report.json");

        CliResult r = CliRunner.Run("prune", Dgcnn("model.onnx"), "--out", output, "--unstructured", "0.5", "--report", report);

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("layer /lin/Conv onnx::Conv_188 [128x128x1]: zeros 0 -> 8192 of 16384 (50.0 %)", r.Stdout, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        JsonElement[] layers = [.. json.RootElement.GetProperty("layers").EnumerateArray()];
        Assert.Equal(9, layers.Length);
        Assert.All(layers, l => Assert.Equal(l.GetProperty("elements").GetInt64() / 2, l.GetProperty("zeros_after").GetInt64()));
        Assert.Equal(8192, layers.Single(l => l.GetProperty("weight").GetString() == "onnx::Conv_188").GetProperty("zeros_after").GetInt64());
    }

    [Fact]
    public void Shapes_dgcnn_pruned_with_a_channel_multiple_keeps_whole_blocks_of_8()
    {
        string output = _temp.File("pruned8.onnx");

        CliResult r = CliRunner.Run("prune", Dgcnn("model.onnx"), "--out", output, "--structured", "0.4", "--channel-multiple", "8");

        // 0.4 alone would keep 20 of 32, 39 of 64 and 77 of 128 channels; rounded up to multiples of 8: 24, 40, 80.
        Assert.Equal((0, string.Empty), (r.ExitCode, r.Stderr));
        Assert.Contains("group /convs.0/lin_i/Conv + /convs.0/lin_j/Conv: channels 32 -> 24", r.Stdout, StringComparison.Ordinal);
        ModelProto m = OnnxModel.Load(output).Proto;
        Assert.Equal([24L, 3, 1], PruneGraphs.Dims(m, "convs.0.lin_j.weight"));
        Assert.Equal([40L, 24, 1], PruneGraphs.Dims(m, "convs.2.lin_j.weight"));
        Assert.Equal([80L, 256], PruneGraphs.Dims(m, "head.0.weight"));
    }

    [Fact]
    public void A_refused_graph_exits_1_naming_the_node_and_writes_nothing()
    {
        string model = _temp.File("mixing.onnx");
        string output = _temp.File("out.onnx");
        File.WriteAllBytes(model, PruneGraphs.ChannelMixingReshape().ToByteArray());

        CliResult r = CliRunner.Run("prune", model, "--out", output, "--structured", "0.5");

        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("geoedge-model: refused: no channel group can be pruned: fc: node 'mix' (Reshape)", r.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("--out", "o.onnx")]
    [InlineData("--out", "o.onnx", "--unstructured", "0.5", "--structured", "0.5")]
    [InlineData("--out", "o.onnx", "--unstructured", "0.5", "--norm", "l2")]
    [InlineData("--out", "o.onnx", "--structured", "half")]
    [InlineData("--out", "o.onnx", "--structured", "0.5", "--norm", "l3")]
    [InlineData("--out", "o.onnx", "--structured", "1")]
    [InlineData("--out", "o.onnx", "--unstructured", "-0.5")]
    [InlineData("--out", "o.onnx", "--unstructured", "0.5", "--channel-multiple", "8")]
    [InlineData("--out", "o.onnx", "--structured", "0.5", "--channel-multiple", "0")]
    [InlineData("--out", "o.onnx", "--structured", "0.5", "--channel-multiple", "eight")]
    public void Bad_command_lines_exit_2(params string[] options)
    {
        CliResult r = CliRunner.Run(["prune", Dgcnn("model.onnx"), .. options]);

        Assert.Equal(2, r.ExitCode);
    }
}
