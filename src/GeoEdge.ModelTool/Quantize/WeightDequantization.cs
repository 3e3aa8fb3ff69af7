using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Quantize;

/// <summary>Replaces a node's float weight by int8 values read through DequantizeLinear (per-channel with axis, or per-tensor).</summary>
internal static class WeightDequantization
{
    /// <summary>Rewires <paramref name="q"/>'s weight input to a new DequantizeLinear; returns the scales used, and adds the nodes to <paramref name="added"/>.</summary>
    public static float[] Apply(GraphIndex index, QuantizableNode q, QuantizeOptions options, List<NodeProto> added)
    {
        string name = q.Node.Input[q.WeightInput];
        TensorProto w = index.Initializer(name)!;
        int? axis = options.PerChannel ? q.WeightAxis : null;
        QuantizedWeights qw = WeightQuantizer.Quantize(TensorData.Floats(w)!, TensorData.Dims(w), axis, options.WeightLimit);
        string values = index.AddInitializer(name + "_quantized", QuantTensors.FromInt8s(qw.Values, TensorData.Dims(w)));
        string output = Dequantize(index, name, values, qw.Scales, new sbyte[qw.Scales.Length], axis, added);
        q.Node.Input[q.WeightInput] = output;
        return qw.Scales;
    }

    /// <summary>Replaces a float bias by int32 values with scale = input scale x weight scale, read through DequantizeLinear.</summary>
    public static void ApplyBias(GraphIndex index, QuantizableNode q, float inputScale, float[] weightScales, List<NodeProto> added)
    {
        string name = q.Node.Input[q.BiasInput];
        float[] bias = TensorData.Floats(index.Initializer(name)!)!;
        (int[] values, float[] scales) = WeightQuantizer.Bias(bias, inputScale, weightScales);
        string quantized = index.AddInitializer(name + "_quantized", QuantTensors.FromInt32s(values, bias.Length));
        string zp = index.AddInitializer(name + "_zero_point", QuantTensors.FromInt32s(new int[bias.Length], bias.Length));
        string scale = index.AddInitializer(name + "_scale", TensorData.FromFloats("", scales, bias.Length));
        string output = index.Fresh(name + "_dequantized");
        added.Add(Nodes.Make("DequantizeLinear", index.Fresh(name + "_DequantizeLinear"), [quantized, scale, zp], [output], Nodes.Int("axis", 0)));
        q.Node.Input[q.BiasInput] = output;
    }

    private static string Dequantize(GraphIndex index, string name, string values, float[] scales, sbyte[] zeroPoints, int? axis, List<NodeProto> added)
    {
        long[] dims = axis is null ? [] : [scales.Length];
        string scale = index.AddInitializer(name + "_scale", TensorData.FromFloats("", scales, dims));
        string zp = index.AddInitializer(name + "_zero_point", QuantTensors.FromInt8s(zeroPoints, dims));
        string output = index.Fresh(name + "_dequantized");
        NodeProto dq = axis is { } a
            ? Nodes.Make("DequantizeLinear", index.Fresh(name + "_DequantizeLinear"), [values, scale, zp], [output], Nodes.Int("axis", a))
            : Nodes.Make("DequantizeLinear", index.Fresh(name + "_DequantizeLinear"), [values, scale, zp], [output]);
        added.Add(dq);
        return output;
    }
}
