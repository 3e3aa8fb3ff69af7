using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Optimize;

/// <summary>Replaces scatter sum/mean aggregation by Reshape([N,k,C]) + ReduceSum/ReduceMean, inside an If that checks the edge order at run time.</summary>
/// <remarks>
/// The dense form equals the scatter only when the targets are repeat(arange(N), k): grouped by target, in
/// target order, exactly k per node (what KnnGraph emits). The rewritten model checks that itself, in O(E)
/// integer ops before the aggregation: k = E / N, k * N == E, k >= 1 and max|t - arange(E) / k| == 0.
/// When the check holds the If runs the dense branch; otherwise it runs the original scatter nodes, moved
/// unchanged into the else branch. So the model stays correct on every input and needs nothing from the
/// bundle manifest or ModelSession; the cost on contract inputs is the check (a few passes over E int64s).
/// </remarks>
internal sealed class FixedDegreeAggregation : IGraphRewrite
{
    public string Name => "fixed-degree-aggregation";

    public int Apply(ModelProto model)
    {
        GraphProto graph = model.Graph;
        long opset = DefaultOpset(model);
        if (opset < 13)
        {
            return 0; // the dense branch uses Squeeze and ReduceSum with axes as inputs (opset 13)
        }

        int count = 0;
        var done = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var index = new GraphIndex(graph);
            ScatterAggregation? site = null;
            foreach (NodeProto node in graph.Node)
            {
                if (node.OpType == "ScatterElements" && ScatterAggregation.Match(index, node) is { } s && !done.Contains(s.Root))
                {
                    site = s;
                    break;
                }
            }

            if (site is null)
            {
                return count;
            }

            done.Add(site.Root);
            Rewrite(index, graph, site, opset);
            count++;
        }
    }

    internal static long DefaultOpset(ModelProto model)
    {
        foreach (OperatorSetIdProto o in model.OpsetImport)
        {
            if (o.Domain.Length == 0 || o.Domain == "ai.onnx")
            {
                return o.Version;
            }
        }

        return 1;
    }

    private static void Rewrite(GraphIndex index, GraphProto graph, ScatterAggregation s, long opset)
    {
        NodeProto root = index.Producer(s.Root)!;
        List<NodeProto> moved = Cone(index, graph, root, [s.Messages, s.Target, s.OutputShape]);
        string tag = root.Name.Length > 0 ? root.Name : s.Root;
        var b = new Builder(index, tag);

        // The contract check, in the enclosing graph.
        string one = b.Const([1L], 1);
        string zero = b.Const([0L], 1);
        string n = b.Op("Slice", [s.OutputShape, zero, one]);
        string e = b.Op("Shape", [s.Target]);
        string k = b.Op("Div", [e, b.Op("Max", [n, one])]);
        string exact = b.Op("Equal", [b.Op("Mul", [k, n]), e]);
        string positive = b.Op("Greater", [k, zero]);
        string range = b.Op("Range", [b.ConstScalar(0), b.Op("Squeeze", [e]), b.ConstScalar(1)]);
        string expected = b.Op("Div", [range, b.Op("Squeeze", [b.Op("Max", [k, one])])]);
        string offBy = b.Op("Abs", [b.Op("Sub", [s.Target, expected])]);
        string worst = b.Op("ReduceMax", [b.Op("Concat", [zero, offBy], Nodes.Int("axis", 0))], Nodes.Int("keepdims", 0));
        string ordered = b.Op("Equal", [worst, b.ConstScalar(0)]);
        string cond = b.Op("And", [b.Op("Squeeze", [b.Op("And", [exact, positive])]), ordered]);
        graph.Node.AddRange(b.Take());

        // Then: the dense reduction over k. Shape [N, k, C...] from the scatter's own output shape.
        string tail = b.Op("Slice", [s.OutputShape, one, b.Const([long.MaxValue], 1)]);
        string grouped = b.Op("Reshape", [s.Messages, b.Op("Concat", [n, k, tail], Nodes.Int("axis", 0))]);
        string fast;
        if (s.Mean && opset < 18)
        {
            fast = b.Op("ReduceMean", [grouped], Nodes.Ints("axes", 1), Nodes.Int("keepdims", 0));
        }
        else
        {
            fast = b.Op(s.Mean ? "ReduceMean" : "ReduceSum", [grouped, b.Const([1L], 1)], Nodes.Int("keepdims", 0));
        }

        GraphProto thenBranch = Branch(tag + "_fixed_degree", b.Take(), fast, s.ElementType);

        // Else: the original nodes, unchanged but for the name of their result.
        string safe = index.Fresh(tag + "_scatter");
        foreach (NodeProto m in moved)
        {
            for (int o = 0; o < m.Output.Count; o++)
            {
                if (m.Output[o] == s.Root)
                {
                    m.Output[o] = safe;
                }
            }

            graph.Node.Remove(m);
        }

        GraphProto elseBranch = Branch(tag + "_scatter", moved, safe, s.ElementType);
        graph.Node.Add(Nodes.Make("If", index.Fresh(tag + "_if_fixed_degree"), [cond], [s.Root],
            Nodes.Graph("then_branch", thenBranch), Nodes.Graph("else_branch", elseBranch)));
    }

    private static GraphProto Branch(string name, List<NodeProto> nodes, string output, int elementType)
    {
        var g = new GraphProto { Name = name };
        g.Node.AddRange(nodes);
        g.Output.Add(new ValueInfoProto { Name = output, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType } } });
        return g;
    }

    /// <summary>The nodes only <paramref name="root"/> needs: its ancestors up to <paramref name="boundary"/>, less any whose outputs something else reads.</summary>
    private static List<NodeProto> Cone(GraphIndex index, GraphProto graph, NodeProto root, string[] boundary)
    {
        var stop = new HashSet<string>(boundary, StringComparer.Ordinal);
        var cone = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance) { root };
        var pending = new Stack<NodeProto>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            foreach (string input in GraphIndex.NodeInputs(pending.Pop()))
            {
                if (!stop.Contains(input) && index.Producer(input) is { } p && cone.Add(p))
                {
                    pending.Push(p);
                }
            }
        }

        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (NodeProto node in cone.ToArray())
            {
                if (ReferenceEquals(node, root))
                {
                    continue;
                }

                foreach (string o in node.Output)
                {
                    bool outside = index.IsGraphOutput(o);
                    foreach (NodeProto c in index.Consumers(o))
                    {
                        outside |= !cone.Contains(c);
                    }

                    if (outside)
                    {
                        cone.Remove(node);
                        changed = true;
                        break;
                    }
                }
            }
        }

        var ordered = new List<NodeProto>(cone.Count);
        foreach (NodeProto node in graph.Node)
        {
            if (cone.Contains(node))
            {
                ordered.Add(node);
            }
        }

        return ordered;
    }

    /// <summary>Appends small nodes with fresh names and hands them over in order.</summary>
    private sealed class Builder(GraphIndex index, string tag)
    {
        private readonly List<NodeProto> _nodes = [];

        public string Op(string op, string[] inputs, params AttributeProto[] attributes)
        {
            string output = index.Fresh($"{tag}_{op}");
            _nodes.Add(Nodes.Make(op, index.Fresh($"{tag}/{op}"), inputs, [output], attributes));
            return output;
        }

        public string Const(long[] values, params long[] dims)
        {
            string output = index.Fresh($"{tag}_const");
            _nodes.Add(Nodes.Make("Constant", index.Fresh($"{tag}/Constant"), [], [output], Nodes.Tensor("value", TensorData.FromInt64s("", values, dims))));
            return output;
        }

        public string ConstScalar(long value) => Const([value]);

        public List<NodeProto> Take()
        {
            var taken = new List<NodeProto>(_nodes);
            _nodes.Clear();
            return taken;
        }
    }
}
