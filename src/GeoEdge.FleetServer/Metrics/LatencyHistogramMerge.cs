namespace GeoEdge.FleetServer.Metrics;

/// <summary>Latency histograms of many windows added into one, and its quantiles (Prometheus histogram_quantile rules:
/// linear inside the bucket, the +Inf bucket answers the highest finite bound).</summary>
/// <remarks>The first histogram's bounds are the merge's; a window with other bounds has each bucket's count put into the
/// first merged bucket whose bound covers the window's bucket bound, which can only overstate latency, never hide it.</remarks>
public sealed class LatencyHistogramMerge
{
    private double[]? _bounds;
    private long[]? _counts;

    /// <summary>Upper bounds (ms) of the merged buckets; empty until something was added.</summary>
    public IReadOnlyList<double> BoundsMs => _bounds ?? [];

    /// <summary>Counts per merged bucket (BoundsMs.Count + 1, the last +Inf).</summary>
    public IReadOnlyList<long> Counts => _counts ?? [];

    /// <summary>Observations added.</summary>
    public long Total { get; private set; }

    public void Add(IReadOnlyList<double> boundsMs, IReadOnlyList<long> counts)
    {
        ArgumentNullException.ThrowIfNull(boundsMs);
        ArgumentNullException.ThrowIfNull(counts);
        if (_bounds is null)
        {
            _bounds = [.. boundsMs];
            _counts = new long[_bounds.Length + 1];
        }

        for (int i = 0; i < counts.Count; i++)
        {
            double upper = i < boundsMs.Count ? boundsMs[i] : double.PositiveInfinity;
            _counts![BucketCovering(upper)] += counts[i];
            Total += counts[i];
        }
    }

    /// <summary>The q-quantile (0..1) in ms; null when nothing was observed.</summary>
    public double? Quantile(double q)
    {
        if (_bounds is null || Total == 0)
        {
            return null;
        }

        double rank = q * Total;
        long below = 0;
        for (int i = 0; i < _counts!.Length; i++)
        {
            long inBucket = _counts[i];
            if (below + inBucket >= rank && inBucket > 0)
            {
                if (i == _bounds.Length)
                {
                    return _bounds[^1];
                }

                double lower = i == 0 ? 0 : _bounds[i - 1];
                return lower + ((_bounds[i] - lower) * (rank - below) / inBucket);
            }

            below += inBucket;
        }

        return _bounds[^1];
    }

    private int BucketCovering(double upper)
    {
        for (int i = 0; i < _bounds!.Length; i++)
        {
            if (upper <= _bounds[i])
            {
                return i;
            }
        }

        return _bounds.Length;
    }
}
