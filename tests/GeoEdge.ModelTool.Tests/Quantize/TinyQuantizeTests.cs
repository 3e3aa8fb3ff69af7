using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;
using GeoEdge.ModelTool.Quantize;
using GeoEdge.ModelTool.Tests.Optimize;

namespace GeoEdge.ModelTool.Tests.Quantize;

/// <summary>Dynamic and static quantization of one-layer Gemm/MatMul graphs whose int8 weights, scales and outputs are worked out by hand.</summary>
[Trait("Category", "Unit")]
public sealed class TinyQuantizeTests
{
    // W [2 out, 4 in] (Gemm, transB = 1). Per output channel: scale = max|w| / 127, q = round(w / scale):
    //   row 0, scale 2/127:   0.3 -> 19.05 -> 19, -0.9 -> -57.15 -> -57, 0.25 -> 15.875 -> 16, 2.0 -> 127
    //   row 1, scale 0.4/127: 0.1 -> 31.75 -> 32,  0.22 -> 69.85 -> 70, -0.4 -> -127,         0.05 -> 15.875 -> 16
    private static readonly float[] W = [0.3f, -0.9f, 0.25f, 2.0f, 0.1f, 0.22f, -0.4f, 0.05f];

    // Stored as [K = 4, N = 2] for MatMulInteger / MatMul: the transpose of the rows above.
    private static readonly sbyte[] QuantizedKxN = [19, 32, -57, 70, 16, -127, 127, 16];

    // x in [0, 2.55]: DynamicQuantizeLinear's scale is 2.55/255 = 0.01 with zero point 0, and x quantizes exactly to 50, 100, 255, 0.
    private static readonly float[] X = [0.5f, 1.0f, 2.55f, 0f];

    private static readonly QuantizeOptions PerChannel = new(true, new HashSet<string>());

    [Fact]
    public void Dynamic_gemm_gets_exact_int8_weights_scales_and_output()
    {
        var g = new GraphProto { Name = "gemm" };
        g.Input.Add(TinyGraphs.Value("x", TensorData.Float, 1, 4));
        g.Output.Add(TinyGraphs.Value("y", TensorData.Float, 1, 2));
        g.Initializer.Add(TensorData.FromFloats("W", W, 2, 4));
        g.Initializer.Add(TensorData.FromFloats("b", [0.5f, -0.25f], 2));
        g.Node.Add(Nodes.Make("Gemm", "lin", ["x", "W", "b"], ["y"], Nodes.Int("transB", 1)));

        (ModelProto q, QuantizeReport report) = DynamicQuantizer.Quantize(TinyGraphs.Model(g), PerChannel);

        Assert.Equal(1, report.Quantized["Gemm"]);
        Assert.Equal(["DynamicQuantizeLinear", "MatMulInteger", "Cast", "Mul", "Mul", "Add"], q.Graph.Node.Select(n => n.OpType));
        TensorProto weights = Assert.Single(q.Graph.Initializer, t => t.DataType == QuantTensors.Int8);
        Assert.Equal([4L, 2L], weights.Dims);
        Assert.Equal(QuantizedKxN, QuantTensors.Int8s(weights));
        TensorProto scales = Assert.Single(q.Graph.Initializer, t => t.Name.StartsWith("W_scale", StringComparison.Ordinal));
        Assert.Equal([2f / 127f, 0.4f / 127f], TensorData.Floats(scales)!);
        Assert.DoesNotContain(q.Graph.Initializer, t => t.Name == "W");

        // y_c = (sum_k xq_k wq_kc) x 0.01 x scale_c + b_c with xq = [50, 100, 255, 0]:
        //   c = 0: 950 - 5700 + 4080 + 0 = -670     -> -670 x 0.01 x 2/127     + 0.5  =  0.394488189
        //   c = 1: 1600 + 7000 - 32385 + 0 = -23785 -> -23785 x 0.01 x 0.4/127 - 0.25 = -0.999133858
        double[] y = TinyGraphs.Run(q, new ProofTensor("x", [1, 4], X, null));
        Assert.Equal(0.394488189, y[0], 1e-6);
        Assert.Equal(-0.999133858, y[1], 1e-6);
    }

    [Fact]
    public void Static_matmul_gets_calibrated_qdq_and_the_hand_computed_output()
    {
        var g = new GraphProto { Name = "matmul" };
        g.Input.Add(TinyGraphs.Value("x", TensorData.Float, 1, 4));
        g.Output.Add(TinyGraphs.Value("y", TensorData.Float, 1, 2));
        g.Initializer.Add(TensorData.FromFloats("W", [0.3f, 0.1f, -0.9f, 0.22f, 0.25f, -0.4f, 2.0f, 0.05f], 4, 2));
        g.Node.Add(Nodes.Make("MatMul", "mm", ["x", "W"], ["y"]));
        ModelProto model = TinyGraphs.Model(g);
        ProofTensor[] sample = [new ProofTensor("x", [1, 4], X, null)];

        List<string> tensors = StaticQuantizer.ActivationsToCalibrate(model, PerChannel);
        Dictionary<string, ActivationStatistics> stats = ActivationCollector.Collect(model, tensors, [sample], histograms: false);
        var ranges = stats.ToDictionary(p => p.Key, p => p.Value.Range(CalibrationMethod.MinMax, 100));
        (ModelProto q, QuantizeReport report) = StaticQuantizer.Quantize(model, ranges, PerChannel);

        // Float y = [0.15 - 0.9 + 0.6375, 0.05 + 0.22 - 1.02] = [-0.1125, -0.75]: y's range is [-0.75, 0].
        Assert.Equal(["x", "y"], tensors);
        Assert.Equal((0f, 2.55f), ranges["x"]);
        Assert.Equal((-0.75f, 0f), ranges["y"]);
        Assert.Equal(2, report.Activations);
        Assert.Equal(QuantizedKxN, QuantTensors.Int8s(Assert.Single(q.Graph.Initializer, t => t.DataType == QuantTensors.Int8 && t.Dims.Count == 2)));
        NodeProto weightDq = Assert.Single(q.Graph.Node, n => n.OpType == "DequantizeLinear" && n.Input[0].StartsWith("W_", StringComparison.Ordinal));
        Assert.Equal(1, GraphIndex.AttrInt(weightDq, "axis", -1));
        Assert.Equal([2.55f / 255f], TensorData.Floats(Assert.Single(q.Graph.Initializer, t => t.Name.StartsWith("x_scale", StringComparison.Ordinal)))!);
        Assert.Equal([(byte)255], Assert.Single(q.Graph.Initializer, t => t.Name.StartsWith("y_zero_point", StringComparison.Ordinal)).RawData.ToArray());

        // int8 product: [-670 x 0.01 x 2/127, -23785 x 0.01 x 0.4/127] = [-0.1055118, -0.7491339]; y's scale 0.75/255,
        // zero point 255: q = [round(-35.874) + 255, round(-254.706) + 255] = [219, 0] -> [-36, -255] x 0.75/255.
        double[] y = TinyGraphs.Run(q, sample);
        Assert.Equal(-36 * 0.75 / 255, y[0], 1e-6);
        Assert.Equal(-0.75, y[1], 1e-6);
        Assert.Equal("y", q.Graph.Output[0].Name);
    }

    [Fact]
    public void Static_gemm_bias_is_int32_at_input_scale_times_weight_scale()
    {
        var g = new GraphProto { Name = "gemm" };
        g.Input.Add(TinyGraphs.Value("x", TensorData.Float, 1, 4));
        g.Output.Add(TinyGraphs.Value("y", TensorData.Float, 1, 2));
        g.Initializer.Add(TensorData.FromFloats("W", W, 2, 4));
        g.Initializer.Add(TensorData.FromFloats("b", [0.5f, -0.25f], 2));
        g.Node.Add(Nodes.Make("Gemm", "lin", ["x", "W", "b"], ["y"], Nodes.Int("transB", 1)));
        var ranges = new Dictionary<string, (float, float)>(StringComparer.Ordinal) { ["x"] = (0f, 2.55f), ["y"] = (-1f, 0.5f) };

        (ModelProto q, _) = StaticQuantizer.Quantize(TinyGraphs.Model(g), ranges, PerChannel);

        // Bias scale per channel = 0.01 x [2/127, 0.4/127]; 0.5 / (0.02/127) = 3175, -0.25 / (0.004/127) = -7937.5, which with the
        // float32 scale (a hair above 0.004/127) is -7937.4999... -> -7937.
        float sx = 2.55f / 255f;
        TensorProto bias = Assert.Single(q.Graph.Initializer, t => t.DataType == QuantTensors.Int32 && t.Name.StartsWith("b_quantized", StringComparison.Ordinal));
        Assert.Equal([3175, -7937], QuantTensors.Int32s(bias));
        Assert.Equal([sx * (2f / 127f), sx * (0.4f / 127f)], TensorData.Floats(Assert.Single(q.Graph.Initializer, t => t.Name.StartsWith("b_scale", StringComparison.Ordinal)))!);

        // Int8 math: [-670 x 0.01 x 2/127 + 0.5, (-23785 - 7937) x 0.01 x 0.4/127] = [0.394488, -0.999118], then y's
        // uint8 step of 1.5/255 = 0.00588: the output is within half a step of it.
        double[] y = TinyGraphs.Run(q, new ProofTensor("x", [1, 4], X, null));
        Assert.Equal(0.394488, y[0], 0.5 * 1.5 / 255);
        Assert.Equal(-0.999118, y[1], 0.5 * 1.5 / 255);
    }

    [Fact]
    public void Per_tensor_weights_use_one_scale_and_no_axis()
    {
        QuantizedWeights q = WeightQuantizer.Quantize(W, [2, 4], axis: null);

        // One scale for all: 2/127; 0.1 -> 6.35 -> 6, 0.22 -> 13.97 -> 14, -0.4 -> -25.4 -> -25, 0.05 -> 3.175 -> 3.
        Assert.Equal([2f / 127f], q.Scales);
        Assert.Null(q.Axis);
        Assert.Equal([19, -57, 16, 127, 6, 14, -25, 3], q.Values.Select(v => (int)v));
    }

    [Fact]
    public void Reduced_range_weights_stay_within_seven_bits()
    {
        QuantizedWeights q = WeightQuantizer.Quantize(W, [2, 4], axis: 0, limit: 63);

        // Row 0, scale 2/63: 0.3 -> 9.45 -> 9, -0.9 -> -28.35 -> -28, 0.25 -> 7.875 -> 8, 2.0 -> 63.
        Assert.Equal([9, -28, 8, 63], q.Values.Take(4).Select(v => (int)v));
        Assert.Equal(2f / 63f, q.Scales[0]);
    }
}
