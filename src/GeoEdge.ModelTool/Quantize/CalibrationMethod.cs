namespace GeoEdge.ModelTool.Quantize;

/// <summary>How an activation's clipping range is chosen from the values seen on the calibration set.</summary>
internal enum CalibrationMethod
{
    /// <summary>The smallest and largest value seen.</summary>
    MinMax,

    /// <summary>|x| clipped at a percentile of its histogram.</summary>
    Percentile,

    /// <summary>|x| clipped where the KL divergence between the clipped and the 128-level quantized histogram is least.</summary>
    Entropy,
}
