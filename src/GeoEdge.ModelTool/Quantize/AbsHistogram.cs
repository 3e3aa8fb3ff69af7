namespace GeoEdge.ModelTool.Quantize;

/// <summary>A fixed-width histogram of |x| over [0, <see cref="Limit"/>], bin i covering [i w, (i + 1) w) (the last bin includes Limit).</summary>
internal sealed class AbsHistogram
{
    public const int DefaultBins = 2048;

    public AbsHistogram(double limit, int bins = DefaultBins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        Limit = limit > 0 ? limit : 1;
        Counts = new long[bins];
    }

    /// <summary>Wraps counts made elsewhere (tests, reference fixtures).</summary>
    public AbsHistogram(double limit, long[] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        Limit = limit;
        Counts = counts;
    }

    public double Limit { get; }

    public long[] Counts { get; }

    public double BinWidth => Limit / Counts.Length;

    /// <summary>The lower edge of bin <paramref name="i"/>; Edge(Counts.Length) is Limit.</summary>
    public double Edge(int i) => i * BinWidth;

    public void Add(ReadOnlySpan<float> values)
    {
        double perBin = Counts.Length / Limit;
        int last = Counts.Length - 1;
        foreach (float v in values)
        {
            double a = Math.Abs((double)v);
            if (double.IsNaN(a))
            {
                continue;
            }

            int bin = (int)Math.Min(a * perBin, last);
            Counts[bin]++;
        }
    }
}
