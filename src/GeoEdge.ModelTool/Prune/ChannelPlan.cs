using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Prune;

/// <summary>The initializer edits that remove one group's channels everywhere they flow, checked against measured shapes; throws naming the node it cannot prove safe.</summary>
internal sealed class ChannelPlan
{
    private readonly GraphIndex _index;
    private readonly IReadOnlyDictionary<string, long[]> _shapes;
    private readonly IReadOnlySet<int> _removed;
    private readonly Dictionary<string, ChannelState> _states = new(StringComparer.Ordinal);
    private readonly List<ChannelEdit> _edits = [];

    private ChannelPlan(GraphIndex index, IReadOnlyDictionary<string, long[]> shapes, IReadOnlySet<int> removed)
    {
        _index = index;
        _shapes = shapes;
        _removed = removed;
    }

    public static List<ChannelEdit> Build(GraphIndex index, IReadOnlyDictionary<string, long[]> shapes, IReadOnlyList<WeightLayer> producers, IReadOnlySet<int> removed)
    {
        var plan = new ChannelPlan(index, shapes, removed);
        var seeds = new HashSet<NodeProto>(producers.Select(static p => p.Node));
        foreach (NodeProto node in index.Graph.Node)
        {
            bool consumes = node.Input.Any(plan._states.ContainsKey);
            if (consumes)
            {
                plan.Visit(node);
            }

            if (seeds.Contains(node))
            {
                plan.Seed(producers.First(p => p.Node == node));
            }
        }

        return plan._edits;
    }

    private void Seed(WeightLayer p)
    {
        Edit(p.Weight.Name, p.OutAxis, _removed, consumer: false, p.Node);
        if (p.Bias is { } b && b.Dims.Count == 1 && b.Dims[0] == p.OutChannels)
        {
            Edit(b.Name, 0, _removed, consumer: false, p.Node);
        }

        int axis = p.Node.OpType == "MatMul" ? Rank(p.Node.Output[0], p.Node) - 1 : 1;
        _states[p.Node.Output[0]] = new ChannelState(axis, [0]);
    }

    private void Visit(NodeProto node)
    {
        string op = node.OpType;
        ChannelState s = State(node, 0);
        if (WeightLayer.From(_index, node) is { } layer)
        {
            int expected = op == "MatMul" ? Rank(node.Input[0], node) - 1 : 1;
            Require(s.Axis == expected, node, $"receives the channels on axis {s.Axis}, but its weight contracts axis {expected}");
            Edit(layer.Weight.Name, layer.InAxis, s.Positions(_removed), consumer: true, node);
            return;
        }

        if (op == "Shape")
        {
            CheckShapeUse(node, s);
            return;
        }

        ChannelState output = op switch
        {
            "MatMul" => Mixing(node, s),
            "BatchNormalization" => BatchNorm(node, s),
            "Transpose" => new ChannelState(Array.IndexOf(Perm(node), (long)s.Axis), s.Offsets),
            "Reshape" => Reshape(node, s),
            "Gather" => Gather(node, s),
            "Concat" => Concat(node),
            _ when ChannelOps.IsBinary(op) => Binary(node),
            _ when ChannelOps.IsReduce(op) => Reduce(node, s),
            _ => s,
        };
        foreach (string o in node.Output)
        {
            if (o.Length > 0 && _shapes.ContainsKey(o))
            {
                _states[o] = output;
            }
        }
    }

    private ChannelState State(NodeProto node, int input)
    {
        for (int i = input; i < node.Input.Count; i++)
        {
            if (_states.TryGetValue(node.Input[i], out ChannelState? s))
            {
                return s;
            }
        }

        throw new PruneRefusedException($"node '{node.Name}': no channel state for its inputs");
    }

    private ChannelState BatchNorm(NodeProto node, ChannelState s)
    {
        Require(s.Axis == 1, node, $"normalizes axis 1 but the channels are on axis {s.Axis}");
        for (int i = 1; i < 5; i++)
        {
            Edit(node.Input[i], 0, s.Positions(_removed), consumer: false, node);
        }

        return s;
    }

    private ChannelState Binary(NodeProto node)
    {
        int outRank = Rank(node.Output[0], node);
        ChannelState? result = null;
        for (int i = 0; i < 2; i++)
        {
            string input = node.Input[i];
            if (_states.TryGetValue(input, out ChannelState? s))
            {
                var shifted = new ChannelState(s.Axis + outRank - Rank(input, node), s.Offsets);
                Require(result is null || result.SameAs(shifted), node, "combines two values whose pruned channels sit in different places");
                result = shifted;
            }
        }

        for (int i = 0; i < 2; i++)
        {
            string input = node.Input[i];
            if (!_states.ContainsKey(input))
            {
                long[] dims = _shapes[input];
                int d = result!.Axis - (outRank - dims.Length);
                if (d >= 0 && dims[d] != 1)
                {
                    Require(dims[d] == _shapes[node.Output[0]][result.Axis], node, $"broadcasts '{input}' across the channels");
                    Edit(input, d, result.Positions(_removed), consumer: false, node);
                }
            }
        }

        return result!;
    }

    /// <summary>A @ h with A a constant matrix [M,K]: h's axis -2 is contracted, every other axis (batch axes, the last) keeps each channel apart.</summary>
    private ChannelState Mixing(NodeProto node, ChannelState s)
    {
        Require(ChannelGroups.IsConstantMatrix(_index, node.Input[0]) && !_states.ContainsKey(node.Input[0]), node, "multiplies the pruned channels by something other than a constant matrix on the left");
        int rank = Rank(node.Input[1], node);
        Require(rank >= 2 && s.Axis != rank - 2, node, "contracts the channel axis with its constant matrix");
        return new ChannelState(s.Axis + Rank(node.Output[0], node) - rank, s.Offsets);
    }

    private ChannelState Reshape(NodeProto node, ChannelState s)
    {
        long[] inShape = _shapes[node.Input[0]];
        long[] outShape = _shapes[node.Output[0]];

        // Row-major reshape keeps each element's last index exactly when the last dimension is unchanged; any other
        // reshape mixes the channels with their neighbours.
        Require(s.Axis == inShape.Length - 1 && outShape[^1] == inShape[^1], node, "reshapes across the channel axis (only reshapes that keep the channels as the unchanged last dimension are safe)");
        long last = LastShapeEntry(node);
        Require(last == -1, node, $"fixes the channel count {last} in its shape constant; only -1 lets the pruned width through");
        return new ChannelState(outShape.Length - 1, s.Offsets);
    }

    /// <summary>The last entry of a Reshape's target shape: a constant, or the last constant piece of a Concat that builds it.</summary>
    private long LastShapeEntry(NodeProto node)
    {
        string shape = node.Input[1];
        if (_index.ConstantInt64s(shape) is { Length: > 0 } constant)
        {
            return constant[^1];
        }

        NodeProto? producer = _index.Producer(shape);
        if (producer is { OpType: "Concat" } && _index.ConstantInt64s(producer.Input[^1]) is { Length: > 0 } piece)
        {
            return piece[^1];
        }

        throw new PruneRefusedException($"node '{node.Name}' (Reshape): its target shape '{shape}' is not a constant or a concat ending in one, so pruning cannot prove it keeps the channels apart");
    }

    private ChannelState Gather(NodeProto node, ChannelState s)
    {
        int rank = Rank(node.Input[0], node);
        long g = GraphIndex.AttrInt(node, "axis", 0);
        g = g < 0 ? g + rank : g;
        Require(g != s.Axis, node, "gathers along the channel axis");
        int indexRank = Rank(node.Input[1], node);
        return new ChannelState(s.Axis < g ? s.Axis : s.Axis - 1 + indexRank, s.Offsets);
    }

    private ChannelState Reduce(NodeProto node, ChannelState s)
    {
        int rank = Rank(node.Input[0], node);
        Require(node.Input.Count == 1, node, "takes its axes as an input; pruning reads the axes attribute only");
        AttributeProto? axesAttr = GraphIndex.Attr(node, "axes");
        Require(axesAttr is not null, node, "reduces every axis, the channels included");
        long[] axes = [.. axesAttr!.Ints.Select(a => a < 0 ? a + rank : a)];
        Require(!axes.Contains(s.Axis), node, "reduces the channel axis");
        bool keep = GraphIndex.AttrInt(node, "keepdims", 1) != 0;
        return new ChannelState(keep ? s.Axis : s.Axis - axes.Count(a => a < s.Axis), s.Offsets);
    }

    private ChannelState Concat(NodeProto node)
    {
        int rank = Rank(node.Output[0], node);
        long axis = GraphIndex.AttrInt(node, "axis", 0);
        axis = axis < 0 ? axis + rank : axis;
        var offsets = new List<long>();
        long at = 0;
        foreach (string input in node.Input)
        {
            if (_states.TryGetValue(input, out ChannelState? s))
            {
                Require(s.Axis == axis, node, $"concatenates along axis {axis} but the channels are on axis {s.Axis}");
                offsets.AddRange(s.Offsets.Select(o => o + at));
            }

            at += _shapes[input][axis];
        }

        return new ChannelState((int)axis, offsets);
    }

    private void CheckShapeUse(NodeProto shape, ChannelState s)
    {
        Require(GraphIndex.Attr(shape, "start") is null && GraphIndex.Attr(shape, "end") is null, shape, "slices the shape");
        foreach (NodeProto user in _index.Consumers(shape.Output[0]))
        {
            long[]? at = user.OpType == "Gather" && user.Input[0] == shape.Output[0] ? _index.ConstantInt64s(user.Input[1]) : null;
            int rank = Rank(shape.Input[0], shape);
            Require(at is not null && at.All(i => (i < 0 ? i + rank : i) != s.Axis), user, "reads the channel count from a Shape; only constant picks of other dimensions are safe");
        }

        Require(!_index.IsGraphOutput(shape.Output[0]), shape, "exposes the pruned shape as a graph output");
    }

    private void Edit(string initializer, int axis, IReadOnlySet<int> positions, bool consumer, NodeProto node)
    {
        Require(_index.Initializer(initializer) is { DataType: TensorData.Float }, node, $"has the parameter '{initializer}' that is not a float initializer");
        Require(_index.Consumers(initializer).Count == 1 && !_index.IsGraphOutput(initializer), node, $"shares its parameter '{initializer}' with other nodes");
        _edits.Add(new ChannelEdit(initializer, axis, positions, consumer));
    }

    private int Rank(string value, NodeProto node) =>
        _shapes.TryGetValue(value, out long[]? shape) ? shape.Length : throw new PruneRefusedException($"node '{node.Name}': the shape of '{value}' was not measured");

    private static long[] Perm(NodeProto node) => GraphIndex.Attr(node, "perm") is { } p ? [.. p.Ints]
        : throw new PruneRefusedException($"node '{node.Name}' (Transpose) has no perm attribute");

    private static void Require(bool condition, NodeProto node, string why)
    {
        if (!condition)
        {
            throw new PruneRefusedException($"node '{node.Name}' ({node.OpType}) {why}");
        }
    }
}
