using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Optimize;

/// <summary>Replaces nodes whose value is known before any run by initializers: ops on constants, and Shape (or a Gather/Slice of it) where the dims read are static.</summary>
/// <remarks>
/// torch.onnx spells out shape arithmetic as Shape → Gather → Unsqueeze → Concat chains and expand(-1, C) as
/// ConstantOfShape → Mul → Equal → Where on constants; ONNX Runtime folds only some of it and re-runs the rest on
/// every call. A Shape of a value whose dims this graph fixes (a Gemm's output channels, a declared input dim) becomes
/// a constant; a Shape with unknown dims becomes a partial vector (-1 marks unknown, real dims are never negative)
/// that a Gather or Slice may still select only known dims from. The folded initializer keeps the node's output
/// name, so readers (If branches included) need no edit; graph outputs are never folded, so the model's outputs stay
/// as they were. Dead producers are left for <see cref="DeadNodeRemoval"/>.
/// </remarks>
internal sealed class ConstantFolding : IGraphRewrite
{
    /// <summary>The largest tensor folded into an initializer; bigger ones (a ConstantOfShape of a large static shape) stay computed.</summary>
    public const int MaxElements = 1 << 16;

    public string Name => "fold-constants";

    public int Apply(ModelProto model)
    {
        long opset = FixedDegreeAggregation.DefaultOpset(model);
        GraphProto graph = model.Graph;
        int total = 0;
        while (true)
        {
            var index = new GraphIndex(graph);
            var shapes = new StaticShapes(index, opset);

            // An initializer that is also a graph input is only a default the caller may override: not a constant.
            var overridable = new HashSet<string>(graph.Input.Select(static v => v.Name), StringComparer.Ordinal);
            var known = new Dictionary<string, ConstValue>(StringComparer.Ordinal);
            var folded = new List<(NodeProto Node, ConstValue Value)>();
            foreach (NodeProto node in graph.Node)
            {
                if (node.OpType == "Constant" || node.Output.Count != 1 || index.IsGraphOutput(node.Output[0]) || HasSubgraph(node))
                {
                    continue;
                }

                ConstValue? value = Evaluate(index, node, opset, known, overridable) ?? KnownShapeValue(node, shapes);
                if (value is not null && value.Count <= MaxElements)
                {
                    known[node.Output[0]] = value;
                    folded.Add((node, value));
                }
            }

            if (folded.Count == 0)
            {
                return total;
            }

            foreach ((NodeProto node, ConstValue value) in folded)
            {
                graph.Node.Remove(node);
                graph.Initializer.Add(value.ToTensor(node.Output[0]));
            }

            total += folded.Count;
        }
    }

    private static bool HasSubgraph(NodeProto node)
    {
        foreach (AttributeProto a in node.Attribute)
        {
            if (a.G is not null || a.Graphs.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A shape vector (Shape, or a Gather/Slice/Concat/Unsqueeze of one) whose every selected dim is static.</summary>
    private static ConstValue? KnownShapeValue(NodeProto node, StaticShapes shapes)
    {
        string output = node.Output[0];
        if (shapes.Value(output) is not { } value || Array.Exists(value, static d => d < 0) || shapes.Of(output) is not { } dims
            || Array.Exists(dims, static d => d < 0) || ConstValue.CountOf(dims) != value.Length)
        {
            return null;
        }

        return ConstValue.OfLongs(TensorData.Int64, dims, value);
    }

    private static ConstValue? Evaluate(GraphIndex index, NodeProto node, long opset, Dictionary<string, ConstValue> known, HashSet<string> overridable)
    {
        var inputs = new ConstValue?[node.Input.Count];
        for (int i = 0; i < node.Input.Count; i++)
        {
            string name = node.Input[i];
            if (name.Length == 0)
            {
                continue;
            }

            if (known.TryGetValue(name, out ConstValue? v) || (!overridable.Contains(name) && index.Constant(name) is { } t && (v = ConstValue.From(t)) is not null))
            {
                inputs[i] = v;
            }
            else
            {
                return null;
            }
        }

        return ConstEvaluator.Evaluate(node, inputs, opset);
    }
}
