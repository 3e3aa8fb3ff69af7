using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Optimize;

/// <summary>The dims known before any run, per value of one graph (-1 where a dim depends on the inputs), for folding Shape.</summary>
/// <remarks>torch.onnx writes no value_info, so this propagates the declared input shapes and the weights' shapes
/// through the ops GNN exports are made of, in node order. A value it cannot follow has no entry: Shape of it is not folded.
/// This only has to be right where it claims a dim; the optimize proof run checks the folded model anyway.</remarks>
internal sealed class StaticShapes
{
    private static readonly HashSet<string> SameShape = new(StringComparer.Ordinal)
    {
        "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Elu", "Selu", "Gelu", "Erf", "Clip", "BatchNormalization", "Cast", "Neg", "Abs",
        "Exp", "Log", "Sqrt", "Identity", "Dropout", "Softmax", "LogSoftmax", "Softplus", "HardSigmoid", "HardSwish", "Not",
    };

    private static readonly HashSet<string> Elementwise = new(StringComparer.Ordinal)
    {
        "Add", "Sub", "Mul", "Div", "Pow", "Equal", "Less", "Greater", "And", "Or", "Max", "Min", "Where",
    };

    /// <summary>Ops that only select or move elements: on a partly known shape vector (-1 = unknown) their result is exact where known.</summary>
    private static readonly HashSet<string> Selecting = new(StringComparer.Ordinal) { "Gather", "Unsqueeze", "Squeeze", "Concat", "Slice", "Identity" };

    private readonly Dictionary<string, long[]> _dims = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long[]> _values = new(StringComparer.Ordinal);

    public StaticShapes(GraphIndex index, long opset)
    {
        foreach (ValueInfoProto v in index.Graph.Input)
        {
            if (v.Type?.TensorType?.Shape is { } shape)
            {
                _dims[v.Name] = [.. shape.Dim.Select(static d => d.DimValue > 0 ? d.DimValue : -1)];
            }
        }

        foreach (TensorProto t in index.Graph.Initializer)
        {
            _dims[t.Name] = TensorData.Dims(t);
        }

        foreach (NodeProto node in index.Graph.Node)
        {
            if (node.Output.Count > 0 && node.Output[0].Length > 0 && Infer(index, node, opset) is { } dims)
            {
                _dims[node.Output[0]] = dims;
            }

            if (node.Output.Count == 1 && ShapeValue(index, node, opset) is { } value)
            {
                _values[node.Output[0]] = value;
            }
        }
    }

    /// <summary>The dims of <paramref name="value"/> with -1 for unknown ones, or null when even its rank is unknown.</summary>
    public long[]? Of(string value) => _dims.GetValueOrDefault(value);

    /// <summary>The int64 vector <paramref name="value"/> holds when it is shape arithmetic on Shape outputs: -1 where a dim is unknown; null when not such a vector.</summary>
    public long[]? Value(string value) => _values.GetValueOrDefault(value);

    private long[]? ShapeValue(GraphIndex index, NodeProto node, long opset)
    {
        if (node.OpType == "Shape")
        {
            if (In(node, 0) is not { } x)
            {
                return null;
            }

            (long from, long to) = ShapeRange(node, x.Length);
            return x[(int)from..(int)Math.Max(from, to)];
        }

        if (!Selecting.Contains(node.OpType))
        {
            return null;
        }

        var inputs = new ConstValue?[node.Input.Count];
        bool partial = false;
        for (int i = 0; i < node.Input.Count; i++)
        {
            string name = node.Input[i];
            if (name.Length == 0)
            {
                continue;
            }

            if (_values.TryGetValue(name, out long[]? v))
            {
                inputs[i] = ConstValue.OfLongs(TensorData.Int64, [v.Length], v);
                partial = true;
            }
            else if (index.Constant(name) is { } t && ConstValue.From(t) is { Type: TensorData.Int64 } c)
            {
                // A scalar (a gathered dim) is kept as a 1-element vector's value; its dims come from _dims.
                inputs[i] = c;
            }
            else
            {
                return null;
            }
        }

        // Only the data input may be partial: an unknown index or axis would select the wrong elements.
        for (int i = 1; i < inputs.Length && node.OpType != "Concat"; i++)
        {
            if (node.Input[i].Length > 0 && _values.ContainsKey(node.Input[i]))
            {
                return null;
            }
        }

        return partial && ConstEvaluator.Evaluate(node, inputs, opset) is { Longs: { } l } ? l : null;
    }

    private long[]? In(NodeProto node, int i) => i < node.Input.Count && node.Input[i].Length > 0 ? Of(node.Input[i]) : null;

    private long[]? Infer(GraphIndex index, NodeProto node, long opset)
    {
        string op = node.OpType;
        if (op == "Constant")
        {
            return GraphIndex.Attr(node, "value")?.T is { } t ? TensorData.Dims(t) : null;
        }

        if (SameShape.Contains(op))
        {
            return In(node, 0);
        }

        if (Elementwise.Contains(op))
        {
            long[]? dims = In(node, 0);
            for (int i = 1; i < node.Input.Count && dims is not null; i++)
            {
                dims = In(node, i) is { } other ? Broadcast.Shape(dims, other) : null;
            }

            return dims;
        }

        return op switch
        {
            "Gemm" => Gemm(node),
            "MatMul" => MatMul(node),
            "Gather" => Gather(node),
            "Concat" => Concat(node),
            "Unsqueeze" or "Squeeze" => Axes(index, node, opset),
            "Reshape" => In(node, 0) is { } d && ValueOf(index, node, 1) is { } s ? ReshapeDims(d, s, GraphIndex.AttrInt(node, "allowzero", 0) != 0) : null,
            "Transpose" => Transpose(node),
            "Shape" => In(node, 0) is { } x ? [ShapeLength(node, x.Length)] : null,
            "ConstantOfShape" => ValueOf(index, node, 0),
            "Expand" => In(node, 0) is { } e && ValueOf(index, node, 1) is { } to ? Broadcast.Shape(e, to) : null,
            "ScatterElements" or "ScatterND" => In(node, 0),
            _ => null,
        };
    }

    /// <summary>Input <paramref name="i"/> as a shape vector: a constant, or a partly known value (-1 = unknown dim).</summary>
    private long[]? ValueOf(GraphIndex index, NodeProto node, int i) =>
        i < node.Input.Count && node.Input[i].Length > 0 ? index.ConstantInt64s(node.Input[i]) ?? Value(node.Input[i]) : null;

    private long[]? Gemm(NodeProto node)
    {
        if (In(node, 0) is not [long a0, long a1] || In(node, 1) is not [long b0, long b1])
        {
            return null;
        }

        bool ta = GraphIndex.AttrInt(node, "transA", 0) != 0, tb = GraphIndex.AttrInt(node, "transB", 0) != 0;
        return [ta ? a1 : a0, tb ? b0 : b1];
    }

    private long[]? MatMul(NodeProto node)
    {
        if (In(node, 0) is not { Length: >= 2 } a || In(node, 1) is not [_, long cols])
        {
            return null;
        }

        long[] dims = (long[])a.Clone();
        dims[^1] = cols;
        return dims;
    }

    private long[]? Gather(NodeProto node)
    {
        if (In(node, 0) is not { } data || In(node, 1) is not { } idx)
        {
            return null;
        }

        long axis = GraphIndex.AttrInt(node, "axis", 0);
        int ax = (int)(axis < 0 ? axis + data.Length : axis);
        return ax < 0 || ax >= data.Length ? null : [.. data[..ax], .. idx, .. data[(ax + 1)..]];
    }

    private long[]? Concat(NodeProto node)
    {
        if (In(node, 0) is not { } first)
        {
            return null;
        }

        long axis = GraphIndex.AttrInt(node, "axis", 0);
        int ax = (int)(axis < 0 ? axis + first.Length : axis);
        if (ax < 0 || ax >= first.Length)
        {
            return null;
        }

        long[] dims = (long[])first.Clone();
        for (int i = 1; i < node.Input.Count; i++)
        {
            if (In(node, i) is not { } other || other.Length != first.Length)
            {
                return null;
            }

            for (int d = 0; d < dims.Length; d++)
            {
                if (d == ax)
                {
                    dims[d] = dims[d] < 0 || other[d] < 0 ? -1 : dims[d] + other[d];
                }
                else if (dims[d] < 0)
                {
                    dims[d] = other[d];
                }
            }
        }

        return dims;
    }

    private long[]? Axes(GraphIndex index, NodeProto node, long opset)
    {
        if (In(node, 0) is not { } x)
        {
            return null;
        }

        long[]? axes = opset >= 13
            ? node.Input.Count > 1 && node.Input[1].Length > 0 ? index.ConstantInt64s(node.Input[1]) : null
            : GraphIndex.Attr(node, "axes")?.Ints.ToArray();
        if (axes is null)
        {
            return null;
        }

        var dims = new List<long>(x);
        if (node.OpType == "Unsqueeze")
        {
            int rank = x.Length + axes.Length;
            foreach (long a in axes.Select(a => a < 0 ? a + rank : a).Order())
            {
                if (a < 0 || a > dims.Count)
                {
                    return null;
                }

                dims.Insert((int)a, 1);
            }

            return [.. dims];
        }

        foreach (long a in axes.Select(a => a < 0 ? a + x.Length : a).OrderDescending())
        {
            if (a < 0 || a >= dims.Count)
            {
                return null;
            }

            dims.RemoveAt((int)a);
        }

        return [.. dims];
    }

    private long[]? Transpose(NodeProto node)
    {
        if (In(node, 0) is not { } x)
        {
            return null;
        }

        long[] perm = GraphIndex.Attr(node, "perm")?.Ints.ToArray() ?? [.. Enumerable.Range(0, x.Length).Reverse().Select(static i => (long)i)];
        return perm.Length != x.Length ? null : [.. perm.Select(p => x[p])];
    }

    /// <summary>How many dims Shape returns for a rank-<paramref name="rank"/> input, with opset 15's start and end.</summary>
    internal static long ShapeLength(NodeProto node, int rank)
    {
        (long from, long to) = ShapeRange(node, rank);
        return Math.Max(to - from, 0);
    }

    /// <summary>The [start, end) of dims Shape returns (opset 15 attributes; whole shape by default).</summary>
    internal static (long From, long To) ShapeRange(NodeProto node, int rank)
    {
        long start = GraphIndex.AttrInt(node, "start", 0);
        long end = GraphIndex.Attr(node, "end") is { } e ? e.I : rank;
        start = Math.Clamp(start < 0 ? start + rank : start, 0, rank);
        end = Math.Clamp(end < 0 ? end + rank : end, 0, rank);
        return (start, end);
    }

    /// <summary>Reshape's output dims: 0 copies the input dim (unless allowzero), one -1 takes what is left; null when not determinable.</summary>
    internal static long[]? ReshapeDims(long[] input, long[] shape, bool allowZero)
    {
        var dims = new long[shape.Length];
        int infer = -1;
        long known = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            long s = shape[d];
            if (s == 0 && !allowZero)
            {
                if (d >= input.Length)
                {
                    return null;
                }

                s = input[d];
            }

            if (shape[d] == -1)
            {
                if (infer >= 0)
                {
                    return null;
                }

                infer = d;
                continue;
            }

            dims[d] = s;
            known = s < 0 ? -1 : known < 0 ? -1 : known * s;
        }

        if (infer >= 0)
        {
            long total = Array.Exists(input, static d => d < 0) ? -1 : ConstValue.CountOf(input);
            dims[infer] = total < 0 || known <= 0 ? -1 : total / known;
        }

        return dims;
    }
}
