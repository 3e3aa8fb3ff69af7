using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Optimize;

/// <summary>Rewrites a Gemm or Conv so its output y becomes scale[c] * y + shift[c] per output channel c (new initializers; shared weights stay as they were).</summary>
internal static class ChannelAffine
{
    /// <summary>True when <paramref name="node"/> is a Gemm or Conv whose weight (and bias, if any) are float32 initializers this can rewrite.</summary>
    public static bool CanApply(GraphIndex index, NodeProto node, int channels) => Weights(index, node, channels) is not null;

    /// <summary>Applies y -> scale * y + shift (shift may be null: no bias is added where there was none).</summary>
    public static void Apply(GraphIndex index, NodeProto node, float[] scale, float[]? shift)
    {
        (float[] w, long[] wDims, float[]? bias, bool outputMajor) = Weights(index, node, scale.Length)
            ?? throw new InvalidOperationException($"node '{node.Name}' is not a foldable Gemm/Conv");
        int channels = scale.Length;
        int perChannel = w.Length / channels;
        var scaled = new float[w.Length];
        for (int i = 0; i < w.Length; i++)
        {
            // Output-major ([Cout, ...]: Conv, Gemm transB=1) or input-major ([Cin, Cout]: Gemm transB=0).
            int c = outputMajor ? i / perChannel : i % channels;
            scaled[i] = w[i] * scale[c];
        }

        node.Input[1] = index.AddInitializer(node.Input[1], TensorData.FromFloats("", scaled, wDims));
        if (bias is null && shift is null)
        {
            return;
        }

        var b = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            b[c] = ((bias?[c] ?? 0f) * scale[c]) + (shift?[c] ?? 0f);
        }

        string biasName = index.AddInitializer(node.Name + "_bias", TensorData.FromFloats("", b, channels));
        if (node.Input.Count > 2)
        {
            node.Input[2] = biasName;
        }
        else
        {
            node.Input.Add(biasName);
        }
    }

    private static (float[] W, long[] Dims, float[]? Bias, bool OutputMajor)? Weights(GraphIndex index, NodeProto node, int channels)
    {
        bool gemm = node.OpType == "Gemm";
        if (!(gemm || node.OpType == "Conv") || node.Input.Count < 2 || node.Output.Count != 1)
        {
            return null;
        }

        if (gemm && (GraphIndex.AttrFloat(node, "alpha", 1f) != 1f || GraphIndex.AttrFloat(node, "beta", 1f) != 1f || GraphIndex.AttrInt(node, "transA", 0) != 0))
        {
            return null;
        }

        TensorProto? wt = index.Initializer(node.Input[1]);
        float[]? w = wt is null ? null : TensorData.Floats(wt);
        if (w is null)
        {
            return null;
        }

        long[] dims = TensorData.Dims(wt!);
        bool outputMajor = !gemm || GraphIndex.AttrInt(node, "transB", 0) == 1;
        long outChannels = outputMajor ? dims[0] : dims.Length == 2 ? dims[1] : -1;
        if (outChannels != channels || (gemm && dims.Length != 2))
        {
            return null;
        }

        float[]? bias = null;
        if (node.Input.Count > 2 && node.Input[2].Length > 0)
        {
            TensorProto? bt = index.Initializer(node.Input[2]);
            bias = bt is null ? null : TensorData.Floats(bt);

            // A Gemm C of shape [1, Cout] or [M, Cout] would broadcast differently; only a per-channel vector folds.
            if (bias is null || bias.Length != channels || bt!.Dims.Count != 1)
            {
                return null;
            }
        }

        return (w, dims, bias, outputMajor);
    }
}
