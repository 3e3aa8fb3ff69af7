using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Prune;

/// <summary>Removes the least important hidden channels of every prunable group, shrinking producer weights, biases, BatchNormalization parameters and consumer weights.</summary>
/// <remarks>Groups that cannot be proven safe stay whole and are reported with the node at fault; when no group can be
/// pruned the request is refused. <see cref="Masked"/> builds the proof model: the original with the removed channels'
/// consumer weights zeroed, which must compute exactly what the shrunk model computes.</remarks>
internal sealed class StructuredPruning
{
    private readonly List<ChannelEdit> _edits = [];

    private StructuredPruning(List<GroupOutcome> outcomes) => Outcomes = outcomes;

    public IReadOnlyList<GroupOutcome> Outcomes { get; }

    public static StructuredPruning Plan(ModelProto model, IReadOnlyDictionary<string, long[]> shapes, double ratio, ChannelNorm norm, int channelMultiple = 1)
    {
        if (!(ratio is > 0 and < 1))
        {
            throw new ArgumentException($"--structured ratio must be in (0, 1), got {ratio}");
        }

        var index = new GraphIndex(model.Graph);
        var outcomes = new List<GroupOutcome>();
        var result = new StructuredPruning(outcomes);
        foreach (ChannelGroup group in ChannelGroups.Find(index))
        {
            List<string> names = [.. group.Producers.Select(static p => p.Node.Name)];
            int channels = group.Producers[0].OutChannels;
            string? refusal = group.Refusal;
            if (refusal is null && group.Producers.Any(p => p.OutChannels != channels))
            {
                refusal = $"its producers {string.Join(", ", names)} have different channel counts";
            }

            if (refusal is not null)
            {
                outcomes.Add(new GroupOutcome(names, channels, channels, [], refusal));
                continue;
            }

            HashSet<int> removed = ChannelImportance.LeastImportant(ChannelImportance.Scores(group.Producers, norm), ratio, channelMultiple);
            try
            {
                result._edits.AddRange(ChannelPlan.Build(index, shapes, group.Producers, removed));
                outcomes.Add(new GroupOutcome(names, channels, channels - removed.Count, [.. removed.Order()], null));
            }
            catch (PruneRefusedException e)
            {
                outcomes.Add(new GroupOutcome(names, channels, channels, [], e.Message));
            }
        }

        if (!outcomes.Any(static o => o.Refusal is null && o.ChannelsAfter < o.ChannelsBefore))
        {
            string reasons = string.Join("; ", outcomes.Select(static o => $"{string.Join("+", o.Producers)}: {o.Refusal ?? "nothing to remove"}"));
            throw new PruneRefusedException(outcomes.Count == 0 ? "the model has no MatMul, Gemm or Conv with a float initializer weight" : $"no channel group can be pruned: {reasons}");
        }

        return result;
    }

    /// <summary>A copy of <paramref name="model"/> with the planned channels removed.</summary>
    public ModelProto Apply(ModelProto model) => Edit(model, masked: false);

    /// <summary>A copy of <paramref name="model"/> with the same shapes where every consumer reads the removed channels with weight zero.</summary>
    public ModelProto Masked(ModelProto model) => Edit(model, masked: true);

    private ModelProto Edit(ModelProto model, bool masked)
    {
        ModelProto copy = model.Clone();
        var initializers = copy.Graph.Initializer.ToDictionary(static t => t.Name, StringComparer.Ordinal);

        // Positions are in the original indexing, so every edit of one axis (a concat consumer takes several groups) is applied at once.
        foreach (var axis in _edits.Where(e => !masked || e.ConsumerSide).GroupBy(static e => (e.Initializer, e.Axis)))
        {
            var positions = new HashSet<int>(axis.SelectMany(static e => e.Positions));
            TensorProto t = initializers[axis.Key.Initializer];
            if (masked)
            {
                TensorSlicing.Zero(t, axis.Key.Axis, positions);
            }
            else
            {
                TensorSlicing.Remove(t, axis.Key.Axis, positions);
            }
        }

        foreach (ValueInfoProto input in copy.Graph.Input)
        {
            if (!masked && initializers.TryGetValue(input.Name, out TensorProto? t) && input.Type?.TensorType?.Shape is { } shape)
            {
                // Old models also declare initializers as inputs; their declared shape follows the weight.
                shape.Dim.Clear();
                shape.Dim.AddRange(t.Dims.Select(static d => new TensorShapeProto.Types.Dimension { DimValue = d }));
            }
        }

        if (!masked)
        {
            // Intermediate shapes recorded by the exporter are now wrong; ONNX Runtime re-infers them.
            copy.Graph.ValueInfo.Clear();
        }

        return copy;
    }
}
