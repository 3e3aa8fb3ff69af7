using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Prune;

/// <summary>FLOPs of the MatMul/Gemm/Conv nodes on one measured input (2 per multiply-add) and the float parameters of a model.</summary>
/// <remarks>Only the contractions are counted: they are what pruning shrinks and what dominates these models' time; the
/// element-wise ops, gathers and reductions that also shrink with the channel count are left out, so the drop is a lower bound.</remarks>
internal sealed record ModelCost(long Flops, long Parameters)
{
    public static ModelCost Measure(ModelProto model, IReadOnlyDictionary<string, long[]> shapes)
    {
        long flops = 0;
        foreach (NodeProto node in model.Graph.Node)
        {
            if (node.OpType is not ("MatMul" or "Gemm" or "Conv") || !shapes.TryGetValue(node.Output[0], out long[]? output)
                || !shapes.TryGetValue(node.Input[0], out long[]? a) || !shapes.TryGetValue(node.Input[1], out long[]? w))
            {
                continue;
            }

            long reduction = node.OpType switch
            {
                "MatMul" => a[^1],
                "Gemm" => GraphIndex.AttrInt(node, "transA", 0) == 0 ? a[^1] : a[0],
                _ => w.Skip(1).Aggregate(1L, static (x, y) => x * y),
            };
            flops += 2 * output.Aggregate(1L, static (x, y) => x * y) * reduction;
        }

        long parameters = 0;
        foreach (TensorProto t in model.Graph.Initializer)
        {
            if (t.DataType == TensorData.Float)
            {
                parameters += t.Dims.Aggregate(1L, static (x, y) => x * y);
            }
        }

        return new ModelCost(flops, parameters);
    }
}
