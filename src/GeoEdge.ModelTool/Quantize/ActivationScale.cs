namespace GeoEdge.ModelTool.Quantize;

/// <summary>Asymmetric uint8 parameters for one activation: x ≈ (q - ZeroPoint) x Scale, q in [0, 255].</summary>
/// <remarks>Uint8 activations with int8 weights (U8S8) is the combination ONNX Runtime's CPU kernels fuse on x64 and arm64.</remarks>
internal readonly record struct ActivationScale(float Scale, byte ZeroPoint)
{
    /// <summary>Parameters for a range that contains 0 (callers widen it first) so 0 is exactly representable.</summary>
    public static ActivationScale FromRange(float min, float max)
    {
        min = Math.Min(min, 0);
        max = Math.Max(max, 0);
        if (max - min <= 0 || !float.IsFinite(max - min))
        {
            return new ActivationScale(1f, 0);
        }

        float scale = (max - min) / 255f;
        double zp = Math.Round(-min / (double)scale, MidpointRounding.ToEven);
        return new ActivationScale(scale, (byte)Math.Clamp(zp, 0, 255));
    }
}
