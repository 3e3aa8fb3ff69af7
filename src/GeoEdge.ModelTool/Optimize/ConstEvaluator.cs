using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Optimize;

/// <summary>Computes the small ops of shape arithmetic (and elementwise int64/float32 math) on constant inputs, in C#, with ONNX semantics.</summary>
/// <remarks>Returns null for anything it does not handle exactly (other ops, other element types, odd attributes):
/// a node it cannot evaluate just stays in the graph.</remarks>
internal static class ConstEvaluator
{
    /// <summary>The single output of <paramref name="node"/> given its constant inputs (null entries: optional inputs left out), or null.</summary>
    public static ConstValue? Evaluate(NodeProto node, IReadOnlyList<ConstValue?> inputs, long opset)
    {
        ConstValue? First() => inputs.Count > 0 ? inputs[0] : null;
        return node.OpType switch
        {
            "Identity" => First(),
            "Add" or "Sub" or "Mul" or "Div" => Binary(node.OpType, inputs),
            "Equal" => Compare(inputs),
            "Where" => Where(inputs),
            "Concat" => Concat(inputs, GraphIndex.AttrInt(node, "axis", 0)),
            "Gather" => Gather(inputs, GraphIndex.AttrInt(node, "axis", 0)),
            "Unsqueeze" => Unsqueeze(First(), Axes(node, inputs, opset)),
            "Squeeze" => Squeeze(First(), Axes(node, inputs, opset)),
            "Slice" when opset >= 10 => Slice(inputs),
            "Cast" => Cast(First(), (int)GraphIndex.AttrInt(node, "to", 0)),
            "Reshape" => Reshape(inputs, GraphIndex.AttrInt(node, "allowzero", 0) != 0),
            "ConstantOfShape" => ConstantOfShape(First(), GraphIndex.Attr(node, "value")?.T),
            "Range" => Range(inputs),
            _ => null,
        };
    }

    private static long[]? Axes(NodeProto node, IReadOnlyList<ConstValue?> inputs, long opset)
    {
        if (opset >= 13)
        {
            return inputs.Count > 1 ? inputs[1]?.Longs : null;
        }

        return GraphIndex.Attr(node, "axes")?.Ints.ToArray();
    }

    private static bool AllPresent(IReadOnlyList<ConstValue?> inputs, int count)
    {
        if (inputs.Count < count)
        {
            return false;
        }

        for (int i = 0; i < count; i++)
        {
            if (inputs[i] is null)
            {
                return false;
            }
        }

        return true;
    }

    private static ConstValue? Binary(string op, IReadOnlyList<ConstValue?> inputs)
    {
        if (!AllPresent(inputs, 2) || inputs[0]!.IsFloat != inputs[1]!.IsFloat || inputs[0]!.Type != inputs[1]!.Type
            || Broadcast.Shape(inputs[0]!.Dims, inputs[1]!.Dims) is not { } dims)
        {
            return null;
        }

        ConstValue a = inputs[0]!, b = inputs[1]!;
        int n = (int)ConstValue.CountOf(dims);
        if (a.IsFloat)
        {
            var f = new float[n];
            for (int i = 0; i < n; i++)
            {
                float x = a.Floats![Broadcast.Source(i, dims, a.Dims)], y = b.Floats![Broadcast.Source(i, dims, b.Dims)];
                f[i] = op switch { "Add" => x + y, "Sub" => x - y, "Mul" => x * y, _ => x / y };
            }

            return ConstValue.OfFloats(dims, f);
        }

        if (a.Type == TensorData.Bool)
        {
            return null;
        }

        var l = new long[n];
        for (int i = 0; i < n; i++)
        {
            long x = a.Longs![Broadcast.Source(i, dims, a.Dims)], y = b.Longs![Broadcast.Source(i, dims, b.Dims)];
            if (op == "Div" && y == 0)
            {
                return null; // left for the runtime to fail on, not folded into a wrong constant
            }

            // Integer Div truncates toward zero in ONNX Runtime (C++ '/').
            l[i] = op switch { "Add" => x + y, "Sub" => x - y, "Mul" => x * y, _ => x / y };
        }

        return ConstValue.OfLongs(a.Type, dims, l);
    }

    private static ConstValue? Compare(IReadOnlyList<ConstValue?> inputs)
    {
        if (!AllPresent(inputs, 2) || inputs[0]!.IsFloat != inputs[1]!.IsFloat || Broadcast.Shape(inputs[0]!.Dims, inputs[1]!.Dims) is not { } dims)
        {
            return null;
        }

        ConstValue a = inputs[0]!, b = inputs[1]!;
        var r = new long[ConstValue.CountOf(dims)];
        for (int i = 0; i < r.Length; i++)
        {
            int ia = Broadcast.Source(i, dims, a.Dims), ib = Broadcast.Source(i, dims, b.Dims);
            r[i] = (a.IsFloat ? a.Floats![ia] == b.Floats![ib] : a.Longs![ia] == b.Longs![ib]) ? 1 : 0;
        }

        return ConstValue.OfLongs(TensorData.Bool, dims, r);
    }

    private static ConstValue? Where(IReadOnlyList<ConstValue?> inputs)
    {
        if (!AllPresent(inputs, 3) || inputs[0]!.Type != TensorData.Bool || inputs[1]!.Type != inputs[2]!.Type
            || Broadcast.Shape(inputs[0]!.Dims, inputs[1]!.Dims) is not { } d1 || Broadcast.Shape(d1, inputs[2]!.Dims) is not { } dims)
        {
            return null;
        }

        ConstValue c = inputs[0]!, x = inputs[1]!, y = inputs[2]!;
        int n = (int)ConstValue.CountOf(dims);
        if (x.IsFloat)
        {
            var f = new float[n];
            for (int i = 0; i < n; i++)
            {
                f[i] = c.Longs![Broadcast.Source(i, dims, c.Dims)] != 0 ? x.Floats![Broadcast.Source(i, dims, x.Dims)] : y.Floats![Broadcast.Source(i, dims, y.Dims)];
            }

            return ConstValue.OfFloats(dims, f);
        }

        var l = new long[n];
        for (int i = 0; i < n; i++)
        {
            l[i] = c.Longs![Broadcast.Source(i, dims, c.Dims)] != 0 ? x.Longs![Broadcast.Source(i, dims, x.Dims)] : y.Longs![Broadcast.Source(i, dims, y.Dims)];
        }

        return ConstValue.OfLongs(x.Type, dims, l);
    }

    private static ConstValue? Concat(IReadOnlyList<ConstValue?> inputs, long axis)
    {
        if (inputs.Count == 0 || !AllPresent(inputs, inputs.Count))
        {
            return null;
        }

        ConstValue first = inputs[0]!;
        int rank = first.Dims.Length;
        int ax = (int)(axis < 0 ? axis + rank : axis);
        if (ax < 0 || ax >= rank)
        {
            return null;
        }

        long outer = 1;
        for (int d = 0; d < ax; d++)
        {
            outer *= first.Dims[d];
        }

        long[] dims = (long[])first.Dims.Clone();
        dims[ax] = 0;
        foreach (ConstValue? v in inputs)
        {
            if (v!.Type != first.Type || v.Dims.Length != rank)
            {
                return null;
            }

            for (int d = 0; d < rank; d++)
            {
                if (d != ax && v.Dims[d] != first.Dims[d])
                {
                    return null;
                }
            }

            dims[ax] += v.Dims[ax];
        }

        var parts = new List<(ConstValue V, int Source)>();
        for (long o = 0; o < outer; o++)
        {
            foreach (ConstValue? v in inputs)
            {
                long block = v!.Count / Math.Max(outer, 1);
                for (long i = 0; i < block; i++)
                {
                    parts.Add((v, (int)((o * block) + i)));
                }
            }
        }

        return first.IsFloat
            ? ConstValue.OfFloats(dims, parts.ConvertAll(p => p.V.Floats![p.Source]).ToArray())
            : ConstValue.OfLongs(first.Type, dims, parts.ConvertAll(p => p.V.Longs![p.Source]).ToArray());
    }

    private static ConstValue? Gather(IReadOnlyList<ConstValue?> inputs, long axis)
    {
        if (!AllPresent(inputs, 2) || inputs[1]!.IsFloat || inputs[1]!.Type == TensorData.Bool)
        {
            return null;
        }

        ConstValue data = inputs[0]!, idx = inputs[1]!;
        int rank = data.Dims.Length;
        int ax = (int)(axis < 0 ? axis + rank : axis);
        if (ax < 0 || ax >= rank)
        {
            return null;
        }

        long outer = 1, inner = 1;
        for (int d = 0; d < ax; d++)
        {
            outer *= data.Dims[d];
        }

        for (int d = ax + 1; d < rank; d++)
        {
            inner *= data.Dims[d];
        }

        long size = data.Dims[ax];
        var sources = new List<int>();
        for (long o = 0; o < outer; o++)
        {
            foreach (long raw in idx.Longs!)
            {
                long k = raw < 0 ? raw + size : raw;
                if (k < 0 || k >= size)
                {
                    return null;
                }

                for (long i = 0; i < inner; i++)
                {
                    sources.Add((int)((((o * size) + k) * inner) + i));
                }
            }
        }

        long[] dims = [.. data.Dims[..ax], .. idx.Dims, .. data.Dims[(ax + 1)..]];
        return Take(data, dims, sources);
    }

    private static ConstValue Take(ConstValue data, long[] dims, List<int> sources) =>
        data.IsFloat
            ? ConstValue.OfFloats(dims, sources.ConvertAll(s => data.Floats![s]).ToArray())
            : ConstValue.OfLongs(data.Type, dims, sources.ConvertAll(s => data.Longs![s]).ToArray());

    private static ConstValue? WithDims(ConstValue v, long[] dims) =>
        v.IsFloat ? ConstValue.OfFloats(dims, v.Floats!) : ConstValue.OfLongs(v.Type, dims, v.Longs!);

    private static ConstValue? Unsqueeze(ConstValue? v, long[]? axes)
    {
        if (v is null || axes is null)
        {
            return null;
        }

        int rank = v.Dims.Length + axes.Length;
        var inserted = new HashSet<long>();
        foreach (long a in axes)
        {
            long ax = a < 0 ? a + rank : a;
            if (ax < 0 || ax >= rank || !inserted.Add(ax))
            {
                return null;
            }
        }

        var dims = new long[rank];
        int src = 0;
        for (int d = 0; d < rank; d++)
        {
            dims[d] = inserted.Contains(d) ? 1 : v.Dims[src++];
        }

        return WithDims(v, dims);
    }

    private static ConstValue? Squeeze(ConstValue? v, long[]? axes)
    {
        if (v is null)
        {
            return null;
        }

        int rank = v.Dims.Length;
        var removed = new HashSet<long>();
        if (axes is null)
        {
            for (int d = 0; d < rank; d++)
            {
                if (v.Dims[d] == 1)
                {
                    removed.Add(d);
                }
            }
        }
        else
        {
            foreach (long a in axes)
            {
                long ax = a < 0 ? a + rank : a;
                if (ax < 0 || ax >= rank || v.Dims[ax] != 1)
                {
                    return null;
                }

                removed.Add(ax);
            }
        }

        var dims = new List<long>();
        for (int d = 0; d < rank; d++)
        {
            if (!removed.Contains(d))
            {
                dims.Add(v.Dims[d]);
            }
        }

        return WithDims(v, [.. dims]);
    }

    /// <summary>Slice of a 1-D tensor (shape vectors); higher ranks are left to the runtime.</summary>
    private static ConstValue? Slice(IReadOnlyList<ConstValue?> inputs)
    {
        if (!AllPresent(inputs, 3) || inputs[0]!.Dims.Length != 1)
        {
            return null;
        }

        long[]? starts = inputs[1]!.Longs, ends = inputs[2]!.Longs;
        long[]? axes = inputs.Count > 3 && inputs[3] is { } a ? a.Longs : [0];
        long[]? steps = inputs.Count > 4 && inputs[4] is { } s ? s.Longs : [1];
        if (starts is not [long start] || ends is not [long end] || axes is not ([0] or [-1]) || steps is not [long step] || step == 0)
        {
            return null;
        }

        (long from, long to) = SliceBounds(inputs[0]!.Dims[0], start, end, step);
        var sources = new List<int>();
        for (long i = from; step > 0 ? i < to : i > to; i += step)
        {
            sources.Add((int)i);
        }

        return Take(inputs[0]!, [sources.Count], sources);
    }

    /// <summary>ONNX Slice's clamping of start and end for one axis of length <paramref name="dim"/>.</summary>
    internal static (long From, long To) SliceBounds(long dim, long start, long end, long step)
    {
        start = start < 0 ? start + dim : start;
        end = end < 0 ? end + dim : end;
        return step > 0
            ? (Math.Clamp(start, 0, dim), Math.Clamp(end, 0, dim))
            : (Math.Clamp(start, 0, dim - 1), Math.Clamp(end, -1, dim - 1));
    }

    private static ConstValue? Cast(ConstValue? v, int to)
    {
        if (v is null)
        {
            return null;
        }

        switch (to)
        {
            case TensorData.Float:
                return ConstValue.OfFloats(v.Dims, v.Floats ?? Array.ConvertAll(v.Longs!, static x => (float)x));
            case TensorData.Int64 or TensorData.Int32:
                if (v.Floats is { } f && Array.Exists(f, static x => !float.IsFinite(x)))
                {
                    return null;
                }

                long[] l = v.Floats is { } g ? Array.ConvertAll(g, static x => (long)x) : (long[])v.Longs!.Clone();
                return ConstValue.OfLongs(to, v.Dims, to == TensorData.Int32 ? Array.ConvertAll(l, static x => (long)(int)x) : l);
            case TensorData.Bool:
                return ConstValue.OfLongs(TensorData.Bool, v.Dims, v.Floats is { } h ? Array.ConvertAll(h, static x => x != 0 ? 1L : 0L) : Array.ConvertAll(v.Longs!, static x => x != 0 ? 1L : 0L));
            default:
                return null;
        }
    }

    private static ConstValue? Reshape(IReadOnlyList<ConstValue?> inputs, bool allowZero)
    {
        if (!AllPresent(inputs, 2) || inputs[1]!.Longs is not { } shape || inputs[1]!.IsFloat)
        {
            return null;
        }

        return StaticShapes.ReshapeDims(inputs[0]!.Dims, shape, allowZero) is { } dims && ConstValue.CountOf(dims) == inputs[0]!.Count
            ? WithDims(inputs[0]!, dims)
            : null;
    }

    private static ConstValue? ConstantOfShape(ConstValue? shape, TensorProto? value)
    {
        if (shape?.Longs is not { } dims || shape.IsFloat || Array.Exists(dims, static d => d < 0))
        {
            return null;
        }

        ConstValue fill = value is null ? ConstValue.OfFloats([1], [0f]) : ConstValue.From(value) ?? ConstValue.OfFloats([], []);
        if (fill.Count != 1)
        {
            return null;
        }

        long n = ConstValue.CountOf(dims);
        if (n > ConstantFolding.MaxElements)
        {
            return null;
        }

        return fill.IsFloat
            ? ConstValue.OfFloats(dims, Enumerable.Repeat(fill.Floats![0], (int)n).ToArray())
            : ConstValue.OfLongs(fill.Type, dims, Enumerable.Repeat(fill.Longs![0], (int)n).ToArray());
    }

    private static ConstValue? Range(IReadOnlyList<ConstValue?> inputs)
    {
        if (!AllPresent(inputs, 3) || inputs[0]!.IsFloat || inputs[0]!.Count != 1 || inputs[1]!.Count != 1 || inputs[2]!.Count != 1)
        {
            return null;
        }

        long start = inputs[0]!.Longs![0], limit = inputs[1]!.Longs![0], delta = inputs[2]!.Longs![0];
        if (delta == 0)
        {
            return null;
        }

        long n = Math.Max((long)Math.Ceiling((limit - start) / (double)delta), 0);
        if (n > ConstantFolding.MaxElements)
        {
            return null;
        }

        var r = new long[n];
        for (long i = 0; i < n; i++)
        {
            r[i] = start + (i * delta);
        }

        return ConstValue.OfLongs(inputs[0]!.Type, [n], r);
    }
}
