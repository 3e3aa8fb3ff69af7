using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Prune;

/// <summary>A MatMul, Gemm or Conv whose weight is a float initializer, with the weight's output-channel and input-channel axes.</summary>
/// <remarks>MatMul W [K, N]: in 0, out 1. Gemm B: transB = 0 like MatMul, transB = 1 [N, K]: in 1, out 0. Conv W [O, I, k...]: in 1, out 0.
/// The bias (Gemm C, Conv B) is sliced with the output channels when it has one entry per channel.</remarks>
internal sealed record WeightLayer(NodeProto Node, TensorProto Weight, int InAxis, int OutAxis, TensorProto? Bias)
{
    public int OutChannels => (int)Weight.Dims[OutAxis];

    /// <summary>The weight layers of <paramref name="graph"/> in node order; nodes whose weight is not a float initializer are skipped.</summary>
    public static List<WeightLayer> Find(GraphIndex index)
    {
        var layers = new List<WeightLayer>();
        foreach (NodeProto node in index.Graph.Node)
        {
            if (From(index, node) is { } layer)
            {
                layers.Add(layer);
            }
        }

        return layers;
    }

    public static WeightLayer? From(GraphIndex index, NodeProto node)
    {
        if (node.OpType is not ("MatMul" or "Gemm" or "Conv") || node.Domain.Length > 0 || node.Input.Count < 2
            || index.Initializer(node.Input[1]) is not { DataType: TensorData.Float } w)
        {
            return null;
        }

        TensorProto? bias = node.Input.Count > 2 && node.Input[2].Length > 0 ? index.Initializer(node.Input[2]) : null;
        return node.OpType switch
        {
            "MatMul" when w.Dims.Count == 2 => new WeightLayer(node, w, 0, 1, null),
            "Gemm" when w.Dims.Count == 2 && GraphIndex.AttrInt(node, "transA", 0) == 0 =>
                GraphIndex.AttrInt(node, "transB", 0) == 0 ? new WeightLayer(node, w, 0, 1, bias) : new WeightLayer(node, w, 1, 0, bias),
            "Conv" when w.Dims.Count >= 3 && GraphIndex.AttrInt(node, "group", 1) == 1 => new WeightLayer(node, w, 1, 0, bias),
            _ => null,
        };
    }
}
