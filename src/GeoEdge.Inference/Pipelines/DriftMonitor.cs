using GeoEdge.Inference.Bundles;

namespace GeoEdge.Inference.Pipelines;

/// <summary>Scores one model version's live inputs against its bundle's reference statistics (<see cref="DriftScore"/>),
/// over metrics windows and as a running gauge.</summary>
/// <remarks>
/// <para>Two views of the same inputs, because their readers keep different clocks: <see cref="TakeWindowScore"/> scores the
/// plain mean of every input since the previous take (the fleet agent's metrics window closes it), and <see cref="Score"/>
/// scores an exponentially weighted mean that forgets with a memory of <see cref="GaugeInputs"/> inputs (the plain mean
/// until then), so a Prometheus scrape, however often and by however many scrapers, reads without resetting anything.</para>
/// <para>Reference features are matched to the pipeline's by name; a reference feature the pipeline does not compute (a
/// bundle from a newer tool) is ignored, and a NaN (or infinite) feature value, such as a sensor without samples, is skipped for that input.</para>
/// <para>Thread-safe: the pipelines record from several callers (the service loop, the diagnostics endpoint); one lock,
/// uncontended in the common case. <see cref="Record"/> allocates nothing.</para>
/// </remarks>
public sealed class DriftMonitor
{
    /// <summary>Memory of the gauge's exponentially weighted means, in inputs (weight 1/100 per new input).</summary>
    public const int GaugeInputs = 100;

    private readonly Lock _gate = new();
    private readonly string[] _names;
    private readonly int[] _source;
    private readonly double[] _referenceMean;
    private readonly double[] _scale;
    private readonly double[] _windowSum;
    private readonly long[] _windowCount;
    private readonly double[] _gaugeMean;
    private readonly long[] _gaugeCount;
    private readonly int _width;
    private long _inputs;

    private DriftMonitor(string[] names, int[] source, double[] referenceMean, double[] scale, int width)
    {
        _names = names;
        _source = source;
        _referenceMean = referenceMean;
        _scale = scale;
        _width = width;
        _windowSum = new double[names.Length];
        _windowCount = new long[names.Length];
        _gaugeMean = new double[names.Length];
        _gaugeCount = new long[names.Length];
    }

    /// <summary>The reference features the monitor scores (those the pipeline computes), in the reference's order.</summary>
    public IReadOnlyList<string> Features => _names;

    /// <summary>Inputs recorded since the monitor was made.</summary>
    public long Inputs => Interlocked.Read(ref _inputs);

    /// <summary>The score of the exponentially weighted live means; null before any input.</summary>
    public double? Score => Assess()?.Score;

    /// <summary>The score of the exponentially weighted live means and the feature that sets it (the largest shift); null before any input.</summary>
    public (double Score, string Feature)? Assess()
    {
        lock (_gate)
        {
            int at = Max(_gaugeMean, _gaugeCount, divide: false, out double score);
            return at < 0 ? null : (score, _names[at]);
        }
    }

    /// <summary>A monitor for a pipeline whose features are named <paramref name="features"/> (in its vector's order), or
    /// null when <paramref name="reference"/> is null or names none of them.</summary>
    public static DriftMonitor? Create(DriftReference? reference, IReadOnlyList<string> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (reference is null)
        {
            return null;
        }

        var names = new List<string>();
        var source = new List<int>();
        var mean = new List<double>();
        var scale = new List<double>();
        foreach (FeatureStatistics f in reference.Features)
        {
            int at = IndexOf(features, f.Name);
            if (at >= 0 && !source.Contains(at))
            {
                names.Add(f.Name);
                source.Add(at);
                mean.Add(f.Mean);
                scale.Add(DriftScore.Scale(f));
            }
        }

        return names.Count == 0 ? null : new DriftMonitor([.. names], [.. source], [.. mean], [.. scale], features.Count);
    }

    /// <summary>Adds one input's features, in the pipeline's order (the <c>features</c> given to <see cref="Create"/>).</summary>
    public void Record(ReadOnlySpan<double> features)
    {
        if (features.Length != _width)
        {
            throw new ArgumentException($"{features.Length} features; the pipeline defines {_width}", nameof(features));
        }

        lock (_gate)
        {
            for (int i = 0; i < _source.Length; i++)
            {
                double x = features[_source[i]];
                if (!double.IsFinite(x))
                {
                    continue;
                }

                _windowSum[i] += x;
                _windowCount[i]++;
                long n = ++_gaugeCount[i];
                _gaugeMean[i] += (x - _gaugeMean[i]) / Math.Min(n, GaugeInputs);
            }

            Interlocked.Increment(ref _inputs);
        }
    }

    /// <summary>The score of the plain means of the inputs since the previous take, which starts a new window; null when the window had none.</summary>
    public double? TakeWindowScore()
    {
        lock (_gate)
        {
            int at = Max(_windowSum, _windowCount, divide: true, out double score);
            Array.Clear(_windowSum);
            Array.Clear(_windowCount);
            return at < 0 ? null : score;
        }
    }

    // The index of the feature with the largest shift (the first of equals), or -1 when no feature has a value.
    private int Max(double[] values, long[] counts, bool divide, out double max)
    {
        int at = -1;
        max = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (counts[i] > 0)
            {
                double mean = divide ? values[i] / counts[i] : values[i];
                double shift = DriftScore.Shift(mean, _referenceMean[i], _scale[i]);
                if (at < 0 || shift > max)
                {
                    (at, max) = (i, shift);
                }
            }
        }

        return at;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
