using GeoEdge.Geometry.IO;
using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Tests.Optimize;

/// <summary>`geoedge-model optimize` on the PyG-style scatter model and on the shipped shapes-dgcnn model: rewrites, proof, refusal, atomic output.</summary>
[Trait("Category", "Integration")]
public sealed class OptimizeVerbTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Scatter(string name) => Fixtures.Path("onnx", "optimize", name);

    [Fact]
    public void The_scatter_model_gets_every_rewrite_and_matches_pytorch()
    {
        string output = _temp.File("opt.onnx");

        CliResult r = CliRunner.Run("optimize", Scatter("scatter_gnn.onnx"), "--out", output, "--contract", "knn-target-major");

        Assert.Equal((0, string.Empty), (r.ExitCode, r.Stderr));
        string[] lines = r.Stdout.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Equal("fold-batchnorm: 3 site(s), nodes 145 -> 142", lines[0]);
        Assert.Equal("factorize-messages: 3 site(s), nodes 142 -> 154", lines[2]);
        Assert.Equal("fold-constants: 16 site(s), nodes 154 -> 138", lines[3]);
        Assert.Equal("remove-dead-nodes: 32 site(s), nodes 138 -> 106", lines[4]);
        Assert.Equal("fixed-degree-aggregation: 4 site(s), nodes 106 -> 230", lines[5]);
        Assert.Equal(5, lines.Count(l => l.StartsWith("proof ", StringComparison.Ordinal) && l.EndsWith(" ok", StringComparison.Ordinal)));
        ModelProto m = OnnxModel.Load(output).Proto;
        // Three layers of two per-node Gemms plus the head; one If per aggregation (three layers and the pooling).
        Assert.Equal((0, 0, 4, 7), (TinyGraphs.Count(m, "BatchNormalization"), TinyGraphs.Count(m, "ScatterElements"), TinyGraphs.Count(m, "If"), TinyGraphs.Count(m, "Gemm")));

        // The reference inputs are two 64-point kNN graphs in KnnGraph order: the dense branch runs.
        CliResult v = CliRunner.Run("verify", output, "--reference", Scatter("scatter_gnn.ref.npz"), "--atol", "1e-5");
        Assert.Equal(0, v.ExitCode);
    }

    [Fact]
    public void Contract_breaking_edges_give_the_original_models_outputs()
    {
        string output = _temp.File("opt.onnx");
        Assert.Equal(0, CliRunner.Run("optimize", Scatter("scatter_gnn.onnx"), "--out", output, "--contract", "knn-target-major").ExitCode);
        byte[] original = File.ReadAllBytes(Scatter("scatter_gnn.onnx"));
        IReadOnlyList<OnnxValue> inputs = OptimizationProof.Inputs(OnnxModel.Load(output).Proto);

        foreach ((int n, int g, int seed) in new[] { (200, 4, 11), (64, 1, 12), (5, 1, 13) })
        {
            ProofCase broken = ProofInputs.Make(inputs, n, g, ordered: false, seed);
            ProofResult result = Assert.Single(OptimizationProof.Run(original, File.ReadAllBytes(output), [broken]));
            Assert.True(result.Passes(1e-5), $"{broken.Label}: {result.MaxRelativeError}");
        }
    }

    [Fact]
    public void Without_a_contract_the_scatter_stays_and_the_rest_applies()
    {
        string output = _temp.File("opt.onnx");

        CliResult r = CliRunner.Run("optimize", Scatter("scatter_gnn.onnx"), "--out", output);

        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain("fixed-degree-aggregation", r.Stdout, StringComparison.Ordinal);
        ModelProto m = OnnxModel.Load(output).Proto;
        Assert.Equal((4 + 4, 0), (TinyGraphs.Count(m, "ScatterElements"), TinyGraphs.Count(m, "If")));
    }

    [Fact]
    public void Shapes_dgcnn_gets_its_batchnorms_folded_into_the_per_node_products()
    {
        string output = _temp.File("dgcnn.onnx");

        CliResult r = CliRunner.Run("optimize", Fixtures.Path("shapes-dgcnn", "model.onnx"), "--out", output);

        Assert.Equal((0, string.Empty), (r.ExitCode, r.Stderr));
        Assert.Contains("fold-batchnorm: 1 site(s), nodes 135 -> 134\n", r.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("fold-batchnorm-into-node-products: 3 site(s), nodes 134 -> 131\n", r.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        // Its recipe already multiplies per node (lin_i = T1 - T2, lin_j = T2): there is no concat to factorize.
        Assert.Contains("factorize-messages: 0 site(s)", r.Stdout, StringComparison.Ordinal);
        ModelProto m = OnnxModel.Load(output).Proto;
        Assert.Equal(0, TinyGraphs.Count(m, "BatchNormalization"));

        IReadOnlyDictionary<string, NpyArray> reference = NpzFile.Read(Fixtures.Path("shapes-dgcnn", "reference.npz"));
        var shipped = new ProofCase("reference", true, [
            new ProofTensor("pos", [8, 1024, 3], reference["pos"].AsSpan<float>().ToArray(), null),
            new ProofTensor("knn", [8, 1024, 16], null, reference["knn"].AsSpan<long>().ToArray())]);
        foreach (ProofResult p in OptimizationProof.Run(File.ReadAllBytes(Fixtures.Path("shapes-dgcnn", "model.onnx")), File.ReadAllBytes(output), [shipped]))
        {
            Assert.True(p.Passes(1e-5), $"{p.Output}: {p.MaxRelativeError}");
        }
    }

    [Fact]
    public void A_rewrite_the_proof_catches_is_refused_and_nothing_is_written()
    {
        string input = _temp.File("mixing.onnx");
        string output = _temp.File("out.onnx");
        File.WriteAllBytes(input, Google.Protobuf.MessageExtensions.ToByteArray(ChannelMixingMaxModel()));

        CliResult r = CliRunner.Run("optimize", input, "--out", output);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("fold-batchnorm-into-node-products: 1 site(s)", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("FAILED", r.Stdout, StringComparison.Ordinal);
        Assert.Equal($"geoedge-model: refused: the optimized model differs from {input} by more than 1e-5 relative; {output} not written", Assert.Single(r.StderrLines));
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.tmp*"));
    }

    [Fact]
    public void An_unknown_contract_is_a_usage_error()
    {
        CliResult r = CliRunner.Run("optimize", Scatter("scatter_gnn.onnx"), "--out", _temp.File("o.onnx"), "--contract", "sorted");

        Assert.Equal(2, r.ExitCode);
        Assert.Equal("geoedge-model: unknown --contract 'sorted' (known: knn-target-major)", Assert.Single(r.StderrLines));
    }

    /// <summary>BN(a + max over a Reshape that scrambles channels): matches the max-folding pattern but folding it is wrong.</summary>
    private static ModelProto ChannelMixingMaxModel()
    {
        var g = new GraphProto { Name = "mixing" };
        g.Input.Add(TinyGraphs.Value("x", TensorData.Float, "N", 4));
        g.Output.Add(TinyGraphs.Value("y", TensorData.Float, "N", 4));
        float[] w = [.. Enumerable.Range(0, 16).Select(i => (float)Math.Sin(i + 1))];
        g.Initializer.Add(TensorData.FromFloats("Wa", w, 4, 4));
        g.Initializer.Add(TensorData.FromFloats("Wb", [.. w.Reverse()], 4, 4));
        g.Initializer.Add(TensorData.FromInt64s("to_n4", [-1, 4], 2));
        g.Initializer.Add(TensorData.FromInt64s("axis1", [1], 1));
        g.Initializer.Add(TensorData.FromFloats("gamma", [0.5f, 1, 2, 4], 4));
        g.Initializer.Add(TensorData.FromFloats("beta", [0, 0.1f, 0.2f, 0.3f], 4));
        g.Initializer.Add(TensorData.FromFloats("mean", [0, 0, 0, 0], 4));
        g.Initializer.Add(TensorData.FromFloats("var", [1, 1, 1, 1], 4));
        g.Node.Add(Nodes.Make("Gemm", "a", ["x", "Wa"], ["a"], Nodes.Int("transB", 1)));
        g.Node.Add(Nodes.Make("Gemm", "b", ["x", "Wb"], ["b"], Nodes.Int("transB", 1)));
        g.Node.Add(Nodes.Make("Transpose", "bt", ["b"], ["bt"], Nodes.Ints("perm", 1, 0)));
        g.Node.Add(Nodes.Make("Reshape", "scramble", ["bt", "to_n4"], ["bs"]));
        g.Node.Add(Nodes.Make("Unsqueeze", "u", ["bs", "axis1"], ["bu"]));
        g.Node.Add(Nodes.Make("ReduceMax", "max", ["bu"], ["bm"], Nodes.Ints("axes", 1), Nodes.Int("keepdims", 0)));
        g.Node.Add(Nodes.Make("Add", "sum", ["a", "bm"], ["s"]));
        g.Node.Add(Nodes.Make("BatchNormalization", "bn", ["s", "gamma", "beta", "mean", "var"], ["y"]));
        return TinyGraphs.Model(g);
    }
}
