using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Quantize;

/// <summary>Dynamic quantization: int8 weights, activations quantized at run time. MatMul/Gemm with a constant right
/// operand become DynamicQuantizeLinear + MatMulInteger + Cast + scale Mul (+ bias Add), which ONNX Runtime fuses into
/// DynamicQuantizeMatMul; Conv and a constant left MatMul operand keep float math on int8 weights read through DequantizeLinear.</summary>
internal static class DynamicQuantizer
{
    public static (ModelProto Model, QuantizeReport Report) Quantize(ModelProto model, QuantizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ModelProto result = model.Clone();
        GraphProto g = result.Graph;
        var index = new GraphIndex(g);
        var report = new QuantizeReport();
        var front = new List<NodeProto>();
        var replacements = new Dictionary<NodeProto, List<NodeProto>>();
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        foreach (QuantizableNode q in StaticQuantizer.Select(g, index, options, report))
        {
            if (q.WeightInput < 0)
            {
                report.Quantized[q.Node.OpType]--;
                continue;
            }

            replaced.Add(q.Node.Input[q.WeightInput]);
            if (q.WeightInput == 1 && IsPlainProduct(q.Node))
            {
                replacements[q.Node] = MatMulInteger(index, q, options);
            }
            else
            {
                WeightDequantization.Apply(index, q, options, front);
            }
        }

        var nodes = new List<NodeProto>(front);
        foreach (NodeProto node in g.Node)
        {
            if (replacements.TryGetValue(node, out List<NodeProto>? chain))
            {
                nodes.AddRange(chain);
            }
            else
            {
                nodes.Add(node);
            }
        }

        g.Node.Clear();
        g.Node.AddRange(nodes);
        StaticQuantizer.RemoveUnused(g, replaced);
        return (result, report);
    }

    // MatMulInteger computes A x B only: Gemm's alpha and transA have no place in it.
    private static bool IsPlainProduct(NodeProto node) =>
        node.OpType == "MatMul" || (node.OpType == "Gemm" && GraphIndex.AttrFloat(node, "alpha", 1f) == 1f && GraphIndex.AttrInt(node, "transA", 0) == 0
            && (node.Input.Count < 3 || node.Input[2].Length == 0 || GraphIndex.AttrFloat(node, "beta", 1f) == 1f));

    private static List<NodeProto> MatMulInteger(GraphIndex index, QuantizableNode q, QuantizeOptions options)
    {
        NodeProto node = q.Node;
        string weightName = node.Input[1];
        TensorProto w = index.Initializer(weightName)!;
        float[] values = TensorData.Floats(w)!;
        long[] dims = TensorData.Dims(w);
        if (node.OpType == "Gemm" && GraphIndex.AttrInt(node, "transB", 0) == 1)
        {
            (values, dims) = (Transpose(values, dims[0], dims[1]), [dims[1], dims[0]]);
        }

        // Weight [K, N]: output channels along axis 1.
        QuantizedWeights qw = WeightQuantizer.Quantize(values, dims, options.PerChannel ? 1 : null, options.WeightLimit);
        string wq = index.AddInitializer(weightName + "_quantized", QuantTensors.FromInt8s(qw.Values, dims));
        string ws = index.AddInitializer(weightName + "_scale", TensorData.FromFloats("", qw.Scales, qw.Axis is null ? [] : [qw.Scales.Length]));
        string a = node.Input[0];
        string baseName = node.Name.Length > 0 ? node.Name : node.Output[0];
        string aq = index.Fresh(a + "_quantized"), aScale = index.Fresh(a + "_scale"), aZp = index.Fresh(a + "_zero_point");
        string product = index.Fresh(baseName + "_MatMulInteger_output");
        string asFloat = index.Fresh(baseName + "_Cast_output");
        string scale = index.Fresh(baseName + "_scale");
        bool bias = node.OpType == "Gemm" && node.Input.Count >= 3 && node.Input[2].Length > 0;
        string scaled = bias ? index.Fresh(baseName + "_Mul_output") : node.Output[0];
        var chain = new List<NodeProto>
        {
            Nodes.Make("DynamicQuantizeLinear", index.Fresh(baseName + "_DynamicQuantizeLinear"), [a], [aq, aScale, aZp]),
            Nodes.Make("MatMulInteger", index.Fresh(baseName + "_MatMulInteger"), [aq, wq, aZp], [product]),
            Nodes.Make("Cast", index.Fresh(baseName + "_Cast"), [product], [asFloat], Nodes.Int("to", TensorData.Float)),
            Nodes.Make("Mul", index.Fresh(baseName + "_ScaleMul"), [aScale, ws], [scale]),
            Nodes.Make("Mul", index.Fresh(baseName + "_Mul"), [asFloat, scale], [scaled]),
        };
        if (bias)
        {
            chain.Add(Nodes.Make("Add", index.Fresh(baseName + "_BiasAdd"), [scaled, node.Input[2]], [node.Output[0]]));
        }

        return chain;
    }

    private static float[] Transpose(float[] m, long rows, long cols)
    {
        var t = new float[m.Length];
        for (long r = 0; r < rows; r++)
        {
            for (long c = 0; c < cols; c++)
            {
                t[(c * rows) + r] = m[(r * cols) + c];
            }
        }

        return t;
    }
}
