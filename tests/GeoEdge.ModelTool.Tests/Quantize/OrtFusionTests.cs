using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Tests.Optimize;
using Microsoft.ML.OnnxRuntime;

namespace GeoEdge.ModelTool.Tests.Quantize;

/// <summary>The static QDQ output is in the form ONNX Runtime's CPU provider turns into integer kernels (QLinearConv, QGemm).</summary>
[Trait("Category", "Integration")]
public sealed class OrtFusionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Static_shapes_dgcnn_runs_as_integer_kernels()
    {
        string quantized = _temp.File("int8.onnx"), optimized = _temp.File("ort.onnx");
        CliResult r = CliRunner.Run("quantize", Fixtures.Path("shapes-dgcnn", "model.onnx"), "--out", quantized, "--static",
            "--calibration", Fixtures.Path("shapes-dgcnn", "reference.npz"), "--per-channel", "--reduce-range");
        Assert.Equal(0, r.ExitCode);

        using (var options = new SessionOptions { OptimizedModelFilePath = optimized, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED })
        using (var session = new InferenceSession(quantized, options))
        {
        }

        // What ONNX Runtime 1.31 made of it: every quantized node became its integer kernel; the leftover Q/DQ pairs
        // sit where float ops (BatchNormalization, LeakyRelu, Gather) read or feed the quantized activations.
        ModelProto m = OnnxModel.Load(optimized).Proto;
        Assert.Equal((7, 2, 0, 0), (TinyGraphs.Count(m, "QLinearConv"), TinyGraphs.Count(m, "QGemm"), TinyGraphs.Count(m, "Conv"), TinyGraphs.Count(m, "Gemm")));
    }
}
