using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Optimize;

/// <summary>Who produces and who consumes each value of one graph, and the constant values it holds; rebuilt after each edit.</summary>
/// <remarks>Consumers include nodes inside subgraphs (If branches) that read an outer value by name, so a value an
/// If branch uses is never taken for dead or for exclusively owned.</remarks>
internal sealed class GraphIndex
{
    private readonly Dictionary<string, NodeProto> _producer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorProto> _initializers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _graphOutputs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _fresh;

    public GraphIndex(GraphProto graph)
    {
        Graph = graph;
        Rebuild();
    }

    public GraphProto Graph { get; }

    public void Rebuild()
    {
        _producer.Clear();
        _consumers.Clear();
        _initializers.Clear();
        _graphOutputs.Clear();
        foreach (TensorProto t in Graph.Initializer)
        {
            _initializers[t.Name] = t;
            _names.Add(t.Name);
        }

        foreach (ValueInfoProto v in Graph.Input)
        {
            _names.Add(v.Name);
        }

        foreach (ValueInfoProto v in Graph.Output)
        {
            _graphOutputs.Add(v.Name);
        }

        foreach (NodeProto node in Graph.Node)
        {
            _names.Add(node.Name);
            foreach (string o in node.Output)
            {
                _producer[o] = node;
                _names.Add(o);
            }

            foreach (string input in NodeInputs(node))
            {
                if (!_consumers.TryGetValue(input, out List<NodeProto>? list))
                {
                    _consumers[input] = list = [];
                }

                list.Add(node);
            }
        }
    }

    /// <summary>The node that computes <paramref name="value"/>, or null for graph inputs, initializers and "".</summary>
    public NodeProto? Producer(string value) => _producer.GetValueOrDefault(value);

    public IReadOnlyList<NodeProto> Consumers(string value) => _consumers.TryGetValue(value, out List<NodeProto>? list) ? list : [];

    public bool IsGraphOutput(string value) => _graphOutputs.Contains(value);

    /// <summary>True when <paramref name="value"/> is read by exactly one node and is not a graph output.</summary>
    public bool HasSingleUse(string value) => !IsGraphOutput(value) && Consumers(value).Count == 1;

    public TensorProto? Initializer(string value) => _initializers.GetValueOrDefault(value);

    /// <summary>The tensor behind <paramref name="value"/> when it is an initializer or a Constant node's value attribute.</summary>
    public TensorProto? Constant(string value)
    {
        if (_initializers.TryGetValue(value, out TensorProto? t))
        {
            return t;
        }

        NodeProto? p = Producer(value);
        return p is { OpType: "Constant" } ? Attr(p, "value")?.T : null;
    }

    public float[]? ConstantFloats(string value) => Constant(value) is { } t ? TensorData.Floats(t) : null;

    public long[]? ConstantInt64s(string value) => Constant(value) is { } t ? TensorData.Int64s(t) : null;

    /// <summary>A value or node name not yet used in the graph, built from <paramref name="hint"/>.</summary>
    public string Fresh(string hint)
    {
        string name;
        do
        {
            name = $"{hint}__opt{_fresh++}";
        }
        while (!_names.Add(name));
        return name;
    }

    /// <summary>Adds <paramref name="tensor"/> as an initializer under a fresh name and returns the name.</summary>
    public string AddInitializer(string hint, TensorProto tensor)
    {
        tensor.Name = Fresh(hint);
        Graph.Initializer.Add(tensor);
        _initializers[tensor.Name] = tensor;
        return tensor.Name;
    }

    public static AttributeProto? Attr(NodeProto node, string name)
    {
        foreach (AttributeProto a in node.Attribute)
        {
            if (a.Name == name)
            {
                return a;
            }
        }

        return null;
    }

    public static long AttrInt(NodeProto node, string name, long fallback) => Attr(node, name) is { } a ? a.I : fallback;

    public static float AttrFloat(NodeProto node, string name, float fallback) => Attr(node, name) is { } a ? a.F : fallback;

    /// <summary>The node's own inputs plus every outer value its subgraphs read (names no subgraph node defines).</summary>
    public static IEnumerable<string> NodeInputs(NodeProto node)
    {
        foreach (string i in node.Input)
        {
            if (i.Length > 0)
            {
                yield return i;
            }
        }

        foreach (AttributeProto a in node.Attribute)
        {
            if (a.G is not null)
            {
                foreach (string outer in OuterReads(a.G))
                {
                    yield return outer;
                }
            }
        }
    }

    private static HashSet<string> OuterReads(GraphProto g)
    {
        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (TensorProto t in g.Initializer)
        {
            defined.Add(t.Name);
        }

        foreach (ValueInfoProto v in g.Input)
        {
            defined.Add(v.Name);
        }

        var reads = new HashSet<string>(StringComparer.Ordinal);
        foreach (NodeProto n in g.Node)
        {
            foreach (string i in NodeInputs(n))
            {
                if (!defined.Contains(i))
                {
                    reads.Add(i);
                }
            }

            foreach (string o in n.Output)
            {
                defined.Add(o);
            }
        }

        foreach (ValueInfoProto v in g.Output)
        {
            if (!defined.Contains(v.Name))
            {
                reads.Add(v.Name);
            }
        }

        return reads;
    }
}
