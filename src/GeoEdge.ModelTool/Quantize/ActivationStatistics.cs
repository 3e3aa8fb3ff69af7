namespace GeoEdge.ModelTool.Quantize;

/// <summary>What the calibration set produced in one float tensor: its extremes and, for the histogram methods, a histogram of |x|.</summary>
internal sealed class ActivationStatistics(string name)
{
    public string Name { get; } = name;

    public float Min { get; private set; } = float.PositiveInfinity;

    public float Max { get; private set; } = float.NegativeInfinity;

    public AbsHistogram? Histogram { get; private set; }

    public double MaxAbs => Math.Max(Math.Abs((double)Min), Math.Abs((double)Max));

    public void AddExtremes(ReadOnlySpan<float> values)
    {
        float min = Min, max = Max;
        foreach (float v in values)
        {
            if (v < min)
            {
                min = v;
            }

            if (v > max)
            {
                max = v;
            }
        }

        (Min, Max) = (min, max);
    }

    public void AddToHistogram(ReadOnlySpan<float> values)
    {
        Histogram ??= new AbsHistogram(MaxAbs);
        Histogram.Add(values);
    }

    /// <summary>The clipping range the method picks; always contains 0 so that 0 quantizes exactly (padding, ReLU).</summary>
    public (float Min, float Max) Range(CalibrationMethod method, double percentile)
    {
        double lo = Math.Min(0, Min), hi = Math.Max(0, Max);
        if (method == CalibrationMethod.MinMax || Histogram is null)
        {
            return ((float)lo, (float)hi);
        }

        double t = method == CalibrationMethod.Percentile ? RangeSearch.Percentile(Histogram, percentile) : RangeSearch.Entropy(Histogram).Threshold;
        return ((float)Math.Max(lo, -t), (float)Math.Min(hi, t));
    }
}
