using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Quantize;

/// <summary>Static QDQ quantization: QuantizeLinear/DequantizeLinear pairs on the calibrated activations around every
/// quantizable Conv/MatMul/Gemm, int8 weights (per channel where asked) and int32 biases behind DequantizeLinear —
/// the form ONNX Runtime fuses into QLinearConv / QLinearMatMul / QGemm.</summary>
internal static class StaticQuantizer
{
    /// <summary>The activations (inputs and outputs of the nodes to quantize) whose ranges calibration must measure.</summary>
    public static List<string> ActivationsToCalibrate(ModelProto model, QuantizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var index = new GraphIndex(model.Graph);
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (QuantizableNode q in Select(model.Graph, index, options, null))
        {
            foreach (int i in q.ActivationInputs)
            {
                if (seen.Add(q.Node.Input[i]))
                {
                    names.Add(q.Node.Input[i]);
                }
            }

            if (seen.Add(q.Node.Output[0]))
            {
                names.Add(q.Node.Output[0]);
            }
        }

        return names;
    }

    /// <summary>Returns the quantized copy of <paramref name="model"/> given each activation's range.</summary>
    public static (ModelProto Model, QuantizeReport Report) Quantize(ModelProto model, IReadOnlyDictionary<string, (float Min, float Max)> ranges, QuantizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(ranges);
        ArgumentNullException.ThrowIfNull(options);
        ModelProto result = model.Clone();
        GraphProto g = result.Graph;
        var index = new GraphIndex(g);
        var report = new QuantizeReport();
        List<QuantizableNode> selected = Select(g, index, options, report);

        // Q/DQ on each activation once; every top-level consumer reads the dequantized value, graph outputs stay float.
        var scales = new Dictionary<string, ActivationScale>(StringComparer.Ordinal);
        var pairs = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        var originals = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string name in ActivationsToCalibrate(model, options))
        {
            if (!ranges.TryGetValue(name, out (float Min, float Max) range))
            {
                throw new ArgumentException($"no calibrated range for activation '{name}'", nameof(ranges));
            }

            ActivationScale s = ActivationScale.FromRange(range.Min, range.Max);
            scales[name] = s;
            string scale = index.AddInitializer(name + "_scale", TensorData.FromFloats("", [s.Scale]));
            string zp = index.AddInitializer(name + "_zero_point", QuantTensors.FromUInt8s([s.ZeroPoint]));
            string quantized = index.Fresh(name + "_quantized");
            string dequantized = index.Fresh(name + "_dequantized");
            string source = name;
            if (index.IsGraphOutput(name) && index.Producer(name) is { } producer)
            {
                // A graph output keeps its name on the DequantizeLinear (as ONNX Runtime's quantizer does), so the
                // producer's own output is followed by QuantizeLinear and ONNX Runtime can fuse the whole group.
                source = index.Fresh(name + "_float");
                producer.Output[producer.Output.IndexOf(name)] = source;
                dequantized = name;
            }
            else
            {
                foreach (NodeProto consumer in index.Consumers(name))
                {
                    for (int i = 0; i < consumer.Input.Count; i++)
                    {
                        if (consumer.Input[i] == name)
                        {
                            consumer.Input[i] = dequantized;
                        }
                    }
                }
            }

            originals[dequantized] = name;
            pairs[source] =
            [
                Nodes.Make("QuantizeLinear", index.Fresh(name + "_QuantizeLinear"), [source, scale, zp], [quantized]),
                Nodes.Make("DequantizeLinear", index.Fresh(name + "_DequantizeLinear"), [quantized, scale, zp], [dequantized]),
            ];
            report.Activations++;
        }

        var weightNodes = new List<NodeProto>();
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        foreach (QuantizableNode q in selected)
        {
            if (q.WeightInput < 0)
            {
                continue;
            }

            replaced.Add(q.Node.Input[q.WeightInput]);
            float[] weightScales = WeightDequantization.Apply(index, q, options, weightNodes);
            string input = q.Node.Input[q.ActivationInputs[0]];
            string activation = originals.GetValueOrDefault(input, input);
            if (q.BiasInput >= 0 && scales.TryGetValue(activation, out ActivationScale inputScale))
            {
                replaced.Add(q.Node.Input[q.BiasInput]);
                WeightDequantization.ApplyBias(index, q, inputScale.Scale, weightScales, weightNodes);
            }
        }

        Reorder(g, weightNodes, pairs);
        RemoveUnused(g, replaced);
        return (result, report);
    }

    /// <summary>The quantizable nodes not kept in float, counted into <paramref name="report"/> when given.</summary>
    public static List<QuantizableNode> Select(GraphProto g, GraphIndex index, QuantizeOptions options, QuantizeReport? report)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(options);
        var selected = new List<QuantizableNode>();
        foreach (NodeProto node in g.Node)
        {
            if (QuantizableNode.Match(node, index) is not { } q)
            {
                continue;
            }

            if (options.Keeps(node))
            {
                report?.Count(report.KeptFloat, node.OpType);
                report?.KeptFloatNodes.Add(node.Name);
                continue;
            }

            report?.Count(report.Quantized, node.OpType);
            selected.Add(q);
        }

        return selected;
    }

    /// <summary>Drops the float initializers a rewrite replaced once nothing reads them any more.</summary>
    public static void RemoveUnused(GraphProto g, HashSet<string> replaced)
    {
        ArgumentNullException.ThrowIfNull(g);
        var index = new GraphIndex(g);
        for (int i = g.Initializer.Count - 1; i >= 0; i--)
        {
            string name = g.Initializer[i].Name;
            if (replaced.Contains(name) && index.Consumers(name).Count == 0 && !index.IsGraphOutput(name))
            {
                g.Initializer.RemoveAt(i);
            }
        }
    }

    // Weight DequantizeLinear nodes read only initializers: they go first. An activation's pair follows its producer
    // (or opens the graph for a graph input), which keeps the node list topologically sorted.
    private static void Reorder(GraphProto g, List<NodeProto> weightNodes, Dictionary<string, List<NodeProto>> pairs)
    {
        var nodes = new List<NodeProto>(weightNodes);
        foreach (ValueInfoProto input in g.Input)
        {
            if (pairs.Remove(input.Name, out List<NodeProto>? pair))
            {
                nodes.AddRange(pair);
            }
        }

        foreach (NodeProto node in g.Node)
        {
            nodes.Add(node);
            foreach (string output in node.Output)
            {
                if (pairs.Remove(output, out List<NodeProto>? pair))
                {
                    nodes.AddRange(pair);
                }
            }
        }

        // Activations that are initializers (none in exported models) would be left; they are not produced by a node.
        foreach (List<NodeProto> pair in pairs.Values)
        {
            nodes.InsertRange(weightNodes.Count, pair);
        }

        g.Node.Clear();
        g.Node.AddRange(nodes);
    }
}
