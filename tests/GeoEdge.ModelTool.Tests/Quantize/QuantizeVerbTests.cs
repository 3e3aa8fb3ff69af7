using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;
using GeoEdge.ModelTool.Quantize;
using GeoEdge.ModelTool.Tests.Optimize;

namespace GeoEdge.ModelTool.Tests.Quantize;

/// <summary>`geoedge-model quantize` on the shipped shapes-dgcnn and sensor-stgnn models: per-op counts, keep-float, and
/// outputs that load in ONNX Runtime and stay close to the float model.</summary>
/// <remarks>Tolerances: an int8 model is not equal to its float model; it is judged by accuracy. The bounds here are about
/// twice the differences measured on this x64 machine (AVX2, 7-bit weights with --reduce-range) and far below what a wrong
/// scale, zero point or channel axis gives (errors of the size of the outputs themselves: logits span +-6, scores 0..21).
/// shapes-dgcnn also keeps its top-1 class on all 8 reference clouds.</remarks>
[Trait("Category", "Integration")]
public sealed class QuantizeVerbTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Dgcnn => Fixtures.Path("shapes-dgcnn", "model.onnx");

    private static string DgcnnInputs => Fixtures.Path("shapes-dgcnn", "reference.npz");

    private static string Stgnn => Fixtures.Path("sensor-stgnn", "model.onnx");

    private static string StgnnInputs => Fixtures.Path("quantize", "sensor-stgnn-inputs.npz");

    [Theory]
    [InlineData("minmax", 1.0, 0.8)]
    [InlineData("entropy", 1.0, 0.8)]
    public void Static_shapes_dgcnn_loads_and_stays_close(string method, double logitsBound, double embeddingBound)
    {
        string output = _temp.File("int8.onnx");

        CliResult r = CliRunner.Run("quantize", Dgcnn, "--out", output, "--static", "--calibration", DgcnnInputs, "--method", method, "--per-channel", "--reduce-range");

        Assert.Equal((0, string.Empty), (r.ExitCode, r.Stderr));
        Assert.Contains("quantized: Conv 7, Gemm 2\n", r.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("activations with QuantizeLinear/DequantizeLinear: 15", r.Stdout, StringComparison.Ordinal);
        ModelProto q = OnnxModel.Load(output).Proto;
        Assert.Equal(15, TinyGraphs.Count(q, "QuantizeLinear"));
        Assert.Equal(15 + 9 + 6, TinyGraphs.Count(q, "DequantizeLinear")); // activations, weights, biases (lin_j convs have none)
        Assert.Equal(OnnxModel.Load(Dgcnn).Proto.OpsetImport[0].Version, q.OpsetImport[0].Version);

        QuantizationCheck c = Check(Dgcnn, output, DgcnnInputs);
        Assert.InRange(c.MaxDifference["logits"], 0, logitsBound);
        Assert.InRange(c.MaxDifference["embedding"], 0, embeddingBound);
        Assert.Equal(8, c.Samples);
        AssertSameTopClass(Dgcnn, output, DgcnnInputs);
    }

    [Fact]
    public void Dynamic_shapes_dgcnn_uses_matmulinteger_for_the_head()
    {
        string output = _temp.File("dyn.onnx");

        CliResult r = CliRunner.Run("quantize", Dgcnn, "--out", output, "--dynamic", "--per-channel", "--reduce-range");

        Assert.Equal((0, string.Empty), (r.ExitCode, r.Stderr));
        ModelProto q = OnnxModel.Load(output).Proto;
        Assert.Equal((2, 2, 7, 0), (TinyGraphs.Count(q, "MatMulInteger"), TinyGraphs.Count(q, "DynamicQuantizeLinear"), TinyGraphs.Count(q, "DequantizeLinear"), TinyGraphs.Count(q, "Gemm")));
        QuantizationCheck c = Check(Dgcnn, output, DgcnnInputs);
        Assert.InRange(c.MaxDifference["logits"], 0, 0.6);
        AssertSameTopClass(Dgcnn, output, DgcnnInputs);
    }

    [Fact]
    public void Sensor_stgnn_static_and_dynamic_load_and_stay_close()
    {
        string st = _temp.File("st.onnx"), dy = _temp.File("dy.onnx");

        CliResult s = CliRunner.Run("quantize", Stgnn, "--out", st, "--static", "--calibration", StgnnInputs, "--per-channel", "--reduce-range");
        CliResult d = CliRunner.Run("quantize", Stgnn, "--out", dy, "--dynamic", "--per-channel", "--reduce-range");

        Assert.Equal((0, 0), (s.ExitCode, d.ExitCode));
        Assert.Contains("quantized: Conv 15, MatMul 4", s.Stdout, StringComparison.Ordinal);
        Assert.Contains("activations with QuantizeLinear/DequantizeLinear: 30", s.Stdout, StringComparison.Ordinal);
        Assert.InRange(Check(Stgnn, st, StgnnInputs).MaxDifference["scores"], 0, 1.6);
        Assert.InRange(Check(Stgnn, dy, StgnnInputs).MaxDifference["scores"], 0, 0.7);
    }

    [Fact]
    public void Keep_float_leaves_named_nodes_and_op_types_alone()
    {
        string output = _temp.File("kept.onnx");

        CliResult r = CliRunner.Run("quantize", Dgcnn, "--out", output, "--static", "--calibration", DgcnnInputs, "--keep-float", "/head/head.4/Gemm,Conv");

        Assert.Equal((0, string.Empty), (r.ExitCode, r.Stderr));
        string stdout = r.Stdout.ReplaceLineEndings("\n");
        Assert.Contains("quantized: Gemm 1\nkept float: Conv 7, Gemm 1\n", stdout, StringComparison.Ordinal);
        ModelProto q = OnnxModel.Load(output).Proto;
        foreach (NodeProto conv in q.Graph.Node.Where(n => n.OpType == "Conv"))
        {
            Assert.Contains(q.Graph.Initializer, t => t.Name == conv.Input[1] && t.DataType == TensorData.Float);
        }

        NodeProto head4 = Assert.Single(q.Graph.Node, n => n.Name == "/head/head.4/Gemm");
        Assert.Equal(["/head/head.2/LeakyRelu_output_0", "head.4.weight", "head.4.bias"], head4.Input);

        // Only head.0's input (embedding) and output carry Q/DQ; its weight and bias are read through DequantizeLinear.
        Assert.Equal((2, 4), (TinyGraphs.Count(q, "QuantizeLinear"), TinyGraphs.Count(q, "DequantizeLinear")));
        Assert.InRange(Check(Dgcnn, output, DgcnnInputs).MaxDifference["logits"], 0, 1.0);
    }

    [Fact]
    public void Static_without_calibration_data_is_a_usage_error()
    {
        CliResult r = CliRunner.Run("quantize", Dgcnn, "--out", _temp.File("x.onnx"), "--static");

        Assert.Equal(2, r.ExitCode);
        Assert.Equal("geoedge-model: --static needs --calibration DATA.npz", r.StderrLines[0]);
        Assert.False(File.Exists(_temp.File("x.onnx")));
    }

    private static QuantizationCheck Check(string floatModel, string quantized, string inputs, int samples = int.MaxValue)
    {
        ModelProto model = OnnxModel.Load(floatModel).Proto;
        return QuantizationCheck.Run(File.ReadAllBytes(floatModel), File.ReadAllBytes(quantized), CalibrationSet.Load(inputs, model, samples), null);
    }

    private static void AssertSameTopClass(string floatModel, string quantized, string inputs)
    {
        ModelProto model = OnnxModel.Load(floatModel).Proto;
        List<ProofTensor[]> samples = CalibrationSet.Load(inputs, model, int.MaxValue);
        using var a = new OrtEvaluator(File.ReadAllBytes(floatModel));
        using var b = new OrtEvaluator(File.ReadAllBytes(quantized));
        foreach (ProofTensor[] s in samples)
        {
            double[] fa = a.Run(s)[0].Values, fb = b.Run(s)[0].Values;
            Assert.Equal(Array.IndexOf(fa, fa.Max()), Array.IndexOf(fb, fb.Max()));
        }
    }
}
