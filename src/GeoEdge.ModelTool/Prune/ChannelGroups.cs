using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Prune;

/// <summary>The producers whose output channels must be removed together, and why a set cannot be pruned at all.</summary>
/// <param name="Producers">Weight layers whose outputs meet (through Add/Sub/Mul/Div of activations) and so share one channel set.</param>
/// <param name="Refusal">Null when the group can be pruned; otherwise the first unsafe use, naming the node.</param>
internal sealed record ChannelGroup(IReadOnlyList<WeightLayer> Producers, string? Refusal);

/// <summary>Finds channel groups: follows each weight layer's output forward to the layers that consume it, joining producers whose channels are combined element-wise.</summary>
/// <remarks>A value derived from a producer's output is "tainted" by its group. Taint stops at the data input of a
/// MatMul/Gemm/Conv (whose weight rows then shrink) and at Shape; it passes the ops of <see cref="ChannelOps"/> and a MatMul
/// whose left operand is a constant matrix (A @ h mixes rows, e.g. sensors through an adjacency, not channels). Any other
/// consumer, a tainted graph output, or a weight input fed by a tainted value refuses the group, naming the node.</remarks>
internal static class ChannelGroups
{
    public static List<ChannelGroup> Find(GraphIndex index)
    {
        var parent = new List<int>();
        var producers = new List<WeightLayer>();
        var taint = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var refusals = new Dictionary<int, string>();

        int Root(int g)
        {
            while (parent[g] != g)
            {
                g = parent[g] = parent[parent[g]];
            }

            return g;
        }

        void Refuse(int g, string why) => refusals.TryAdd(g, why);

        foreach (NodeProto node in index.Graph.Node)
        {
            var labels = new List<(int Input, int Group)>();
            for (int i = 0; i < node.Input.Count; i++)
            {
                if (taint.TryGetValue(node.Input[i], out List<int>? gs))
                {
                    labels.AddRange(gs.Select(g => (i, Root(g))));
                }
            }

            WeightLayer? layer = WeightLayer.From(index, node);
            if (labels.Count > 0)
            {
                Consume(index, node, layer, labels, taint, parent, Root, Refuse);
            }

            if (layer is not null)
            {
                parent.Add(parent.Count);
                producers.Add(layer);
                taint[node.Output[0]] = [parent.Count - 1];
            }
        }

        foreach (ValueInfoProto output in index.Graph.Output)
        {
            foreach (int g in taint.GetValueOrDefault(output.Name) ?? [])
            {
                Refuse(Root(g), $"its channels reach the graph output '{output.Name}', whose shape is the model's interface");
            }
        }

        var groups = new Dictionary<int, List<WeightLayer>>();
        for (int p = 0; p < producers.Count; p++)
        {
            int root = Root(p);
            if (!groups.TryGetValue(root, out List<WeightLayer>? list))
            {
                groups[root] = list = [];
            }

            list.Add(producers[p]);
        }

        var merged = new Dictionary<int, string>();
        foreach ((int g, string why) in refusals)
        {
            merged.TryAdd(Root(g), why);
        }

        return [.. groups.Select(kv => new ChannelGroup(kv.Value, merged.GetValueOrDefault(kv.Key)))];
    }

    /// <summary>A rank-2 float initializer: the left operand of a mixing MatMul, the same for every channel.</summary>
    internal static bool IsConstantMatrix(GraphIndex index, string name) => index.Initializer(name) is { DataType: TensorData.Float, Dims.Count: 2 };

    private static void Consume(GraphIndex index, NodeProto node, WeightLayer? layer, List<(int Input, int Group)> labels,
        Dictionary<string, List<int>> taint, List<int> parent, Func<int, int> root, Action<int, string> refuse)
    {
        string op = node.OpType;
        if (node.Domain.Length > 0)
        {
            labels.ForEach(l => refuse(l.Group, $"node '{node.Name}' ({node.Domain}.{op}) is not an operator pruning understands"));
            return;
        }

        if (op == "MatMul" && layer is null && IsConstantMatrix(index, node.Input[0]) && labels.All(static l => l.Input == 1))
        {
            // A constant matrix times the channels (graph mixing with an adjacency, A @ h): the channel axis must then be one
            // A does not contract, which ChannelPlan checks on the measured shapes; the channels pass through unmixed.
            taint[node.Output[0]] = [.. labels.Select(static l => l.Group).Distinct()];
            return;
        }

        if (layer is not null || op is "MatMul" or "Gemm" or "Conv")
        {
            foreach ((int input, int g) in labels)
            {
                if (layer is null || input != 0)
                {
                    refuse(g, $"node '{node.Name}' ({op}) takes the pruned channels as input {input}, not as data with a float initializer weight");
                }
            }

            return;
        }

        if (op == "Shape")
        {
            return;
        }

        if (!ChannelOps.Propagates(op))
        {
            labels.ForEach(l => refuse(l.Group, $"node '{node.Name}' ({op}) uses the pruned channels and pruning cannot prove it keeps them apart"));
            return;
        }

        bool dataOnly = op is "BatchNormalization" or "Reshape" or "Gather" || ChannelOps.IsUnary(op) || ChannelOps.IsReduce(op);
        foreach ((int input, int g) in labels)
        {
            if (dataOnly && input != 0)
            {
                refuse(g, $"node '{node.Name}' ({op}) takes the pruned channels as input {input} (a parameter, not the data)");
            }
        }

        // Element-wise combination ties the channels of its inputs together; a concat only places them side by side.
        int first = labels[0].Group;
        if (op != "Concat")
        {
            foreach ((_, int g) in labels)
            {
                int a = root(first);
                int b = root(g);
                if (a != b)
                {
                    parent[b] = a;
                }
            }
        }

        if (ChannelOps.IsBinary(op) && labels.All(l => l.Input == labels[0].Input))
        {
            string other = node.Input[1 - labels[0].Input];
            if (index.Initializer(other) is null)
            {
                refuse(first, $"node '{node.Name}' ({op}) combines the pruned channels with '{other}', which is neither a constant nor the same channels");
            }
        }

        foreach (string o in node.Output)
        {
            if (o.Length > 0)
            {
                taint[o] = op == "Concat" ? [.. labels.Select(static l => l.Group).Distinct()] : [first];
            }
        }
    }
}
