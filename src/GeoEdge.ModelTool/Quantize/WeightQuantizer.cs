namespace GeoEdge.ModelTool.Quantize;

/// <summary>Int8 weights of one tensor, symmetric (zero point 0), with one scale per channel or one for the whole tensor.</summary>
/// <param name="Values">The quantized weights, in the float tensor's layout.</param>
/// <param name="Scales">One scale per slice along <paramref name="Axis"/>, or a single scale when Axis is null.</param>
internal sealed record QuantizedWeights(sbyte[] Values, float[] Scales, int? Axis);

/// <summary>Symmetric int8 weight quantization: scale = max|w| / 127 per channel (or per tensor), q = round-half-even(w / scale).</summary>
/// <remarks>Symmetric because ONNX Runtime's int8 kernels expect weight zero points of 0 (no zero-point correction term),
/// and 127 rather than 128 so that -w quantizes to -q. An all-zero channel gets scale 1 so DequantizeLinear stays finite.</remarks>
internal static class WeightQuantizer
{
    public static QuantizedWeights Quantize(float[] w, long[] dims, int? axis, int limit = 127)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(dims);
        if (axis is not { } ax)
        {
            float scale = Scale(MaxAbs(w, 0, w.Length), limit);
            var q = new sbyte[w.Length];
            for (int i = 0; i < w.Length; i++)
            {
                q[i] = Round(w[i], scale, limit);
            }

            return new QuantizedWeights(q, [scale], null);
        }

        // Layout [outer, channels, inner]: element (o, c, i) sits at (o * channels + c) * inner + i.
        long channels = dims[ax];
        long inner = 1;
        for (int d = ax + 1; d < dims.Length; d++)
        {
            inner *= dims[d];
        }

        long outer = w.Length / (channels * inner);
        var scales = new float[channels];
        var values = new sbyte[w.Length];
        for (int c = 0; c < channels; c++)
        {
            float max = 0;
            for (long o = 0; o < outer; o++)
            {
                max = MathF.Max(max, MaxAbs(w, (int)(((o * channels) + c) * inner), (int)inner));
            }

            scales[c] = Scale(max, limit);
            for (long o = 0; o < outer; o++)
            {
                int start = (int)(((o * channels) + c) * inner);
                for (int i = 0; i < inner; i++)
                {
                    values[start + i] = Round(w[start + i], scales[c], limit);
                }
            }
        }

        return new QuantizedWeights(values, scales, ax);
    }

    /// <summary>The int32 bias DequantizeLinear reads with scale = input scale x weight scale (per channel), zero point 0.</summary>
    public static (int[] Values, float[] Scales) Bias(float[] bias, float inputScale, float[] weightScales)
    {
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(weightScales);
        var scales = new float[bias.Length];
        var q = new int[bias.Length];
        for (int c = 0; c < bias.Length; c++)
        {
            float s = inputScale * weightScales[weightScales.Length == 1 ? 0 : c];
            scales[c] = s;
            double v = Math.Round(bias[c] / (double)s, MidpointRounding.ToEven);
            q[c] = (int)Math.Clamp(v, int.MinValue + 1, int.MaxValue);
        }

        return (q, scales);
    }

    private static float Scale(float maxAbs, int limit) => maxAbs > 0 ? maxAbs / limit : 1f;

    private static sbyte Round(float w, float scale, int limit) =>
        (sbyte)Math.Clamp(MathF.Round(w / scale, MidpointRounding.ToEven), -limit, limit);

    private static float MaxAbs(float[] w, int start, int count)
    {
        float max = 0;
        for (int i = start; i < start + count; i++)
        {
            max = MathF.Max(max, MathF.Abs(w[i]));
        }

        return max;
    }
}
