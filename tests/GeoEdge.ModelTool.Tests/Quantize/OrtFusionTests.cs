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

    [Fact]
    public void Static_sensor_stgnn_runs_its_convolutions_and_adjacency_matmuls_as_integer_kernels()
    {
        string quantized = _temp.File("int8.onnx"), optimized = _temp.File("ort.onnx");
        CliResult r = CliRunner.Run("quantize", Fixtures.Path("sensor-stgnn", "bundle"), "--out", _temp.File("int8"), "--key", Fixtures.Path("dev-keys", "geoedge-dev.key.pem"),
            "--static", "--calibration", Fixtures.Path("sensor-stgnn", "data", "validation.npz"), "--per-channel", "--reduce-range", "--samples", "16");
        Assert.True(r.ExitCode == 0, r.Stderr);
        File.Copy(Path.Combine(_temp.File("int8"), "model.onnx"), quantized);

        using (var options = new SessionOptions { OptimizedModelFilePath = optimized, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED })
        using (var session = new InferenceSession(quantized, options))
        {
        }

        // What ONNX Runtime 1.31 made of it: every Conv became QLinearConv, but the four A @ h MatMuls (a constant left
        // operand) stay float MatMuls between a DequantizeLinear pair, and the residual Adds, BatchNormalization and the
        // pooling stay float too, so each integer kernel's input is quantized and its output dequantized again (15 Q, 27 DQ left): on this
        // small model (activations of 16 x 22 x 64) those conversions cost more than the kernels save (bench/RESULTS.md).
        ModelProto m = OnnxModel.Load(optimized).Proto;
        Assert.Equal((15, 0, 0, 4, 15, 27), (TinyGraphs.Count(m, "QLinearConv"), TinyGraphs.Count(m, "Conv"), TinyGraphs.Count(m, "QLinearMatMul") + TinyGraphs.Count(m, "MatMulInteger"),
            TinyGraphs.Count(m, "MatMul"), TinyGraphs.Count(m, "QuantizeLinear"), TinyGraphs.Count(m, "DequantizeLinear")));
    }
}
