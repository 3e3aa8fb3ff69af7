using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Quantize;

/// <summary>A Conv, MatMul or Gemm the quantizer may rewrite: which input is the constant weight (and its channel axis),
/// which is the bias, and which inputs are activations.</summary>
/// <param name="WeightInput">Index of the float initializer weight, or -1 (MatMul of two activations).</param>
/// <param name="WeightAxis">The output-channel axis of the weight for per-channel scales; null where only per-tensor
/// scales are valid (a constant left operand of MatMul: its rows are not output channels).</param>
/// <param name="BiasInput">Index of a 1-D float initializer bias added with factor 1, or -1.</param>
internal sealed record QuantizableNode(NodeProto Node, int WeightInput, int? WeightAxis, int BiasInput, int[] ActivationInputs)
{
    public static QuantizableNode? Match(NodeProto node, GraphIndex index)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(index);
        switch (node.OpType)
        {
            case "Conv" when node.Input.Count >= 2 && IsFloatWeight(index, node.Input[1], minRank: 3):
                return new QuantizableNode(node, 1, 0, Bias(node, index, 2), [0]);
            case "Gemm" when node.Input.Count >= 2 && GraphIndex.AttrInt(node, "transA", 0) == 0 && IsFloatWeight(index, node.Input[1], minRank: 2):
                bool unitBias = GraphIndex.AttrFloat(node, "beta", 1f) == 1f;
                return new QuantizableNode(node, 1, GraphIndex.AttrInt(node, "transB", 0) == 1 ? 0 : 1, unitBias ? Bias(node, index, 2) : -1, [0]);
            case "MatMul" when node.Input.Count == 2 && IsFloatWeight(index, node.Input[1], minRank: 2, maxRank: 2):
                return new QuantizableNode(node, 1, 1, -1, [0]);
            case "MatMul" when node.Input.Count == 2 && IsFloatWeight(index, node.Input[0], minRank: 2, maxRank: 2):
                return new QuantizableNode(node, 0, null, -1, [1]);
            case "MatMul" when node.Input.Count == 2 && index.Initializer(node.Input[0]) is null && index.Initializer(node.Input[1]) is null:
                return new QuantizableNode(node, -1, null, -1, [0, 1]);
            default:
                return null;
        }
    }

    private static bool IsFloatWeight(GraphIndex index, string name, int minRank, int maxRank = 8) =>
        index.Initializer(name) is { DataType: TensorData.Float } t && t.Dims.Count >= minRank && t.Dims.Count <= maxRank;

    private static int Bias(NodeProto node, GraphIndex index, int input) =>
        node.Input.Count > input && index.Initializer(node.Input[input]) is { DataType: TensorData.Float, Dims.Count: 1 } ? input : -1;
}
