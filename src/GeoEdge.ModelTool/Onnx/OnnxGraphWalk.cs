namespace GeoEdge.ModelTool.Onnx;

/// <summary>Visits a model's graphs (the main graph and every subgraph held in node attributes) and the tensors they store.</summary>
public static class OnnxGraphWalk
{
    /// <summary>The main graph first, then subgraphs depth-first in node order (If branches, Loop and Scan bodies).</summary>
    public static IEnumerable<GraphProto> Graphs(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Graph is null)
        {
            yield break;
        }

        var pending = new Stack<GraphProto>();
        pending.Push(model.Graph);
        while (pending.Count > 0)
        {
            GraphProto graph = pending.Pop();
            yield return graph;
            var children = new List<GraphProto>();
            foreach (NodeProto node in graph.Node)
            {
                foreach (AttributeProto attribute in node.Attribute)
                {
                    if (attribute.G is not null)
                    {
                        children.Add(attribute.G);
                    }

                    children.AddRange(attribute.Graphs);
                }
            }

            for (int i = children.Count - 1; i >= 0; i--)
            {
                pending.Push(children[i]);
            }
        }
    }

    /// <summary>Every initializer and every tensor-valued node attribute (Constant values included), in every graph.</summary>
    public static IEnumerable<TensorProto> Tensors(ModelProto model)
    {
        foreach (GraphProto graph in Graphs(model))
        {
            foreach (TensorProto initializer in graph.Initializer)
            {
                yield return initializer;
            }

            foreach (NodeProto node in graph.Node)
            {
                foreach (AttributeProto attribute in node.Attribute)
                {
                    if (attribute.T is not null)
                    {
                        yield return attribute.T;
                    }

                    foreach (TensorProto t in attribute.Tensors)
                    {
                        yield return t;
                    }
                }
            }
        }
    }
}
