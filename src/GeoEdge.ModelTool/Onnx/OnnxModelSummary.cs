namespace GeoEdge.ModelTool.Onnx;

/// <summary>How often one operator occurs; <see cref="Domain"/> is empty for the default ai.onnx domain.</summary>
public sealed record OperatorCount(string Domain, string OpType, int Count);

/// <summary>What `geoedge-model inspect` reports about a model: interface, opsets, operators, parameters.</summary>
public sealed class OnnxModelSummary
{
    private OnnxModelSummary()
    {
    }

    /// <summary>Graph inputs the caller feeds: declared inputs that are not also initializers (IR 3 models list both).</summary>
    public required IReadOnlyList<OnnxValue> Inputs { get; init; }

    public required IReadOnlyList<OnnxValue> Outputs { get; init; }

    public required IReadOnlyList<OperatorSetIdProto> OpsetImports { get; init; }

    /// <summary>Node counts by (domain, op_type) over all graphs, subgraphs included; most frequent first, then by name.</summary>
    public required IReadOnlyList<OperatorCount> Operators { get; init; }

    public required int NodeCount { get; init; }

    public required int InitializerCount { get; init; }

    /// <summary>Sum over initializers (all graphs) of the product of their dims: the model's parameter count.</summary>
    public required long ParameterCount { get; init; }

    public static OnnxModelSummary Of(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        GraphProto main = model.Graph;
        var initializerNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (TensorProto t in main.Initializer)
        {
            initializerNames.Add(t.Name);
        }

        var inputs = new List<OnnxValue>();
        foreach (ValueInfoProto input in main.Input)
        {
            if (!initializerNames.Contains(input.Name))
            {
                inputs.Add(OnnxValue.From(input));
            }
        }

        var outputs = new List<OnnxValue>();
        foreach (ValueInfoProto output in main.Output)
        {
            outputs.Add(OnnxValue.From(output));
        }

        var counts = new Dictionary<(string, string), int>();
        int nodes = 0;
        int initializers = 0;
        long parameters = 0;
        foreach (GraphProto graph in OnnxGraphWalk.Graphs(model.Proto))
        {
            foreach (NodeProto node in graph.Node)
            {
                nodes++;
                string domain = node.Domain == "ai.onnx" ? string.Empty : node.Domain;
                counts[(domain, node.OpType)] = counts.GetValueOrDefault((domain, node.OpType)) + 1;
            }

            foreach (TensorProto t in graph.Initializer)
            {
                initializers++;
                long elements = 1;
                foreach (long d in t.Dims)
                {
                    elements = checked(elements * d);
                }

                parameters = checked(parameters + elements);
            }
        }

        var operators = new List<OperatorCount>(counts.Count);
        foreach (((string domain, string op), int count) in counts)
        {
            operators.Add(new OperatorCount(domain, op, count));
        }

        operators.Sort(static (a, b) =>
        {
            int byCount = b.Count.CompareTo(a.Count);
            int byName = byCount != 0 ? byCount : string.CompareOrdinal(a.OpType, b.OpType);
            return byName != 0 ? byName : string.CompareOrdinal(a.Domain, b.Domain);
        });

        return new OnnxModelSummary
        {
            Inputs = inputs,
            Outputs = outputs,
            OpsetImports = [.. model.Proto.OpsetImport],
            Operators = operators,
            NodeCount = nodes,
            InitializerCount = initializers,
            ParameterCount = parameters,
        };
    }
}
