using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Optimize;

/// <summary>Removes nodes and initializers no graph output depends on, and puts the remaining nodes in topological order.</summary>
/// <remarks>Rewrites append nodes where convenient; sorting here once keeps each rewrite free of ordering bookkeeping.</remarks>
internal sealed class DeadNodeRemoval : IGraphRewrite
{
    public string Name => "remove-dead-nodes";

    public int Apply(ModelProto model)
    {
        GraphProto graph = model.Graph;
        var index = new GraphIndex(graph);
        var live = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        foreach (ValueInfoProto o in graph.Output)
        {
            pending.Push(o.Name);
        }

        while (pending.Count > 0)
        {
            string value = pending.Pop();
            if (!needed.Add(value) || index.Producer(value) is not { } node || !live.Add(node))
            {
                continue;
            }

            foreach (string input in GraphIndex.NodeInputs(node))
            {
                pending.Push(input);
            }
        }

        int removed = graph.Node.Count - live.Count;
        var sorted = TopologicalOrder(graph, live);
        graph.Node.Clear();
        graph.Node.AddRange(sorted);
        for (int i = graph.Initializer.Count - 1; i >= 0; i--)
        {
            if (!needed.Contains(graph.Initializer[i].Name))
            {
                graph.Initializer.RemoveAt(i);
            }
        }

        for (int i = graph.ValueInfo.Count - 1; i >= 0; i--)
        {
            if (!needed.Contains(graph.ValueInfo[i].Name))
            {
                graph.ValueInfo.RemoveAt(i);
            }
        }

        return removed;
    }

    /// <summary>Kahn's algorithm, stable: among ready nodes the one first in the current order goes first.</summary>
    private static List<NodeProto> TopologicalOrder(GraphProto graph, HashSet<NodeProto> live)
    {
        var available = new HashSet<string>(StringComparer.Ordinal);
        foreach (ValueInfoProto v in graph.Input)
        {
            available.Add(v.Name);
        }

        foreach (TensorProto t in graph.Initializer)
        {
            available.Add(t.Name);
        }

        var remaining = new List<NodeProto>();
        foreach (NodeProto n in graph.Node)
        {
            if (live.Contains(n))
            {
                remaining.Add(n);
            }
        }

        var producedHere = new HashSet<string>(StringComparer.Ordinal);
        foreach (NodeProto n in remaining)
        {
            producedHere.UnionWith(n.Output);
        }

        var order = new List<NodeProto>(remaining.Count);
        while (remaining.Count > 0)
        {
            int before = order.Count;
            for (int i = 0; i < remaining.Count; i++)
            {
                NodeProto n = remaining[i];
                bool ready = true;
                foreach (string input in GraphIndex.NodeInputs(n))
                {
                    // A name no node here produces is an input, initializer or outer-scope value: always ready.
                    if (producedHere.Contains(input) && !available.Contains(input))
                    {
                        ready = false;
                        break;
                    }
                }

                if (ready)
                {
                    order.Add(n);
                    available.UnionWith(n.Output);
                    remaining.RemoveAt(i);
                    i--;
                }
            }

            if (order.Count == before)
            {
                throw new InvalidOperationException($"graph has a cycle through node '{remaining[0].Name}' ({remaining[0].OpType})");
            }
        }

        return order;
    }
}
