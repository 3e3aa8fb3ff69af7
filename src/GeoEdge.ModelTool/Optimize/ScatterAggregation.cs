using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Optimize;

/// <summary>One scatter aggregation as torch.onnx exports it: zeros(shape).scatter_add_(0, expand(target), messages), optionally divided by the clamped in-degree (mean).</summary>
/// <param name="Root">The value the aggregation produces: the ScatterElements output (sum) or the Div output (mean).</param>
/// <param name="Messages">The [E, C...] (or [E]) values scattered.</param>
/// <param name="Target">The 1-D int64 [E] target index of each message (edge_index[1], or a batch vector).</param>
/// <param name="OutputShape">The 1-D shape tensor of the all-zero scatter data: [N, C...].</param>
internal sealed record ScatterAggregation(string Root, bool Mean, string Messages, string Target, string OutputShape, int ElementType)
{
    /// <summary>The aggregation whose ScatterElements is <paramref name="scatter"/>, or null when it is not one of the exported forms.</summary>
    public static ScatterAggregation? Match(GraphIndex index, NodeProto scatter)
    {
        if (Sum(index, scatter) is not (string messages, string target, string shape, int type))
        {
            return null;
        }

        // Mean: Div(sum, f(Clip(degree, min <= 1))) where degree scatters ones over the same target and f only adds axes.
        IReadOnlyList<NodeProto> users = index.Consumers(scatter.Output[0]);
        if (users.Count == 1 && users[0] is { OpType: "Div" } div && div.Input[0] == scatter.Output[0] && !index.IsGraphOutput(scatter.Output[0])
            && IsClampedDegree(index, div.Input[1], target))
        {
            return new ScatterAggregation(div.Output[0], true, messages, target, shape, type);
        }

        return new ScatterAggregation(scatter.Output[0], false, messages, target, shape, type);
    }

    private static (string Messages, string Target, string Shape, int Type)? Sum(GraphIndex index, NodeProto scatter)
    {
        if (scatter.OpType != "ScatterElements" || scatter.Input.Count != 3 || GraphIndex.AttrInt(scatter, "axis", 0) != 0
            || GraphIndex.Attr(scatter, "reduction")?.S.ToStringUtf8() != "add"
            || index.Producer(scatter.Input[0]) is not { OpType: "ConstantOfShape" } zeros
            || Fill(zeros) is not (0.0, int type)
            || TargetOf(index, scatter.Input[1]) is not { } target)
        {
            return null;
        }

        return (scatter.Input[2], target, zeros.Input[0], type);
    }

    /// <summary>The 1-D target t when <paramref name="indices"/> is t itself or Expand(Unsqueeze(t, last axis)).</summary>
    private static string? TargetOf(GraphIndex index, string indices)
    {
        if (index.Producer(indices) is not { OpType: "Expand" } expand)
        {
            return indices;
        }

        if (index.Producer(expand.Input[0]) is not { OpType: "Unsqueeze" } unsqueeze)
        {
            return null;
        }

        long[]? axes = unsqueeze.Input.Count > 1 ? index.ConstantInt64s(unsqueeze.Input[1]) : GraphIndex.Attr(unsqueeze, "axes")?.Ints.ToArray();
        return axes is [-1] or [1] ? unsqueeze.Input[0] : null;
    }

    private static bool IsClampedDegree(GraphIndex index, string value, string target)
    {
        NodeProto? node = index.Producer(value);
        while (node is { OpType: "Unsqueeze" or "Reshape" or "Cast" })
        {
            node = index.Producer(node.Input[0]);
        }

        if (node is not { OpType: "Clip" } clip || clip.Input.Count < 2 || (clip.Input.Count > 2 && clip.Input[2].Length > 0)
            || index.ConstantFloats(clip.Input[1]) is not [float min] || min > 1f
            || index.Producer(clip.Input[0]) is not { } degree
            || Sum(index, degree) is not (string ones, string t, _, _) || t != target
            || index.Producer(ones) is not { OpType: "ConstantOfShape" } fill || Fill(fill) is not (1.0, _))
        {
            return false;
        }

        return true;
    }

    /// <summary>The fill value and element type of a ConstantOfShape (ONNX's default is float32 0).</summary>
    private static (double Value, int Type)? Fill(NodeProto constantOfShape)
    {
        TensorProto? t = GraphIndex.Attr(constantOfShape, "value")?.T;
        if (t is null)
        {
            return (0.0, TensorData.Float);
        }

        return TensorData.Floats(t) is [float f] ? (f, t.DataType)
            : TensorData.Int64s(t) is [long l] ? (l, t.DataType)
            : null;
    }
}
