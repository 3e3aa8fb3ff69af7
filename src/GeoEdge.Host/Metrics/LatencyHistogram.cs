namespace GeoEdge.Host.Metrics;

/// <summary>A lock-free latency histogram over fixed buckets (seconds); recording allocates nothing.</summary>
public sealed class LatencyHistogram
{
    /// <summary>Upper bounds in seconds: 100 µs to 10 s, enough for a DGCNN on a Pi and a sensor window on a Jetson.</summary>
    public static readonly double[] DefaultBoundsSeconds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly double[] _bounds;

    // Per-bucket (non-cumulative) counts; the last slot is +Inf. The exposition makes them cumulative.
    private readonly long[] _counts;

    // The sum is kept in nanoseconds as an integer so Interlocked.Add is exact and order-independent.
    private long _sumNanoseconds;

    public LatencyHistogram(double[]? boundsSeconds = null)
    {
        _bounds = boundsSeconds ?? DefaultBoundsSeconds;
        for (int i = 1; i < _bounds.Length; i++)
        {
            if (!(_bounds[i] > _bounds[i - 1]))
            {
                throw new ArgumentException($"bucket bounds must increase: bounds[{i}] = {_bounds[i]} <= bounds[{i - 1}] = {_bounds[i - 1]}", nameof(boundsSeconds));
            }
        }

        _counts = new long[_bounds.Length + 1];
    }

    public ReadOnlySpan<double> Bounds => _bounds;

    /// <summary>Records one observation given in microseconds (the unit pipelines time in).</summary>
    public void ObserveMicroseconds(double microseconds)
    {
        if (!double.IsFinite(microseconds) || microseconds < 0)
        {
            microseconds = 0;
        }

        double seconds = microseconds / 1e6;
        int bucket = _bounds.Length;
        for (int i = 0; i < _bounds.Length; i++)
        {
            if (seconds <= _bounds[i])
            {
                bucket = i;
                break;
            }
        }

        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Add(ref _sumNanoseconds, (long)Math.Round(microseconds * 1000));
    }

    /// <summary>Copies the per-bucket counts (last = +Inf) into <paramref name="counts"/> and returns the sum in seconds.</summary>
    public double Snapshot(Span<long> counts)
    {
        for (int i = 0; i < _counts.Length; i++)
        {
            counts[i] = Volatile.Read(ref _counts[i]);
        }

        return Volatile.Read(ref _sumNanoseconds) / 1e9;
    }

    public int BucketCount => _counts.Length;
}
