using GeoEdge.Inference.Bundles;

namespace GeoEdge.Inference.Pipelines;

/// <summary>How far ONE sensor window lies from the training inputs: its <see cref="SensorDriftFeatures"/> standardized
/// against the bundle's <c>drift</c> reference (<see cref="DriftScore.Scale"/>, each shift capped at <see cref="DriftScore.MaxShift"/>).</summary>
/// <remarks>
/// <para>Two reductions over the features, named as the manifest's <c>ood.score</c> names them:</para>
/// <list type="bullet">
/// <item><c>drift-max</c> — the largest shift: <see cref="DriftScore"/> over a single window. One sensor in the wrong unit
/// or wired to another sensor's input is enough.</item>
/// <item><c>drift-rms</c> — the root mean square of the shifts (a diagonal Mahalanobis distance over the features,
/// divided by their count): many moderate shifts (another plant) count together.</item>
/// </list>
/// <para>Measured on sensor-stgnn (validation vs models/sensor-stgnn/data/ood.npz): AUROC 0.976 for drift-max, 0.952 for
/// drift-rms. A unit change or a miswiring on a few sensors moves a few features far, which the mean over 45 features
/// dilutes; `calibrate --ood` measures both and writes the better one (`bench/RESULTS.md` has the figures per OOD kind).</para>
/// <para>Non-finite features (a sensor with no sample in the window) are skipped; a window without any finite feature scores 0.
/// Allocation-free.</para>
/// </remarks>
public sealed class SensorOodScore
{
    /// <summary>The largest capped standardized shift over the features.</summary>
    public const string DriftMax = "drift-max";

    /// <summary>The root mean square of the capped standardized shifts.</summary>
    public const string DriftRms = "drift-rms";

    private readonly int[] _source;
    private readonly double[] _mean;
    private readonly double[] _scale;
    private readonly bool _rms;

    private SensorOodScore(string name, int[] source, double[] mean, double[] scale)
    {
        Name = name;
        _source = source;
        _mean = mean;
        _scale = scale;
        _rms = name == DriftRms;
    }

    /// <summary><see cref="DriftMax"/> or <see cref="DriftRms"/>.</summary>
    public string Name { get; }

    /// <summary>Whether <paramref name="name"/> is a score this class computes.</summary>
    public static bool IsKnown(string? name) => name is DriftMax or DriftRms;

    /// <summary>The score <paramref name="name"/> of windows whose features are named <paramref name="features"/> (in their vector's order)
    /// against <paramref name="reference"/>, matched by name; null when the reference names none of them.</summary>
    public static SensorOodScore? Create(string name, DriftReference reference, IReadOnlyList<string> features)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(features);
        if (!IsKnown(name))
        {
            throw new ArgumentException($"'{name}' is not a sensor OOD score ({DriftMax}, {DriftRms})", nameof(name));
        }

        var source = new List<int>();
        var mean = new List<double>();
        var scale = new List<double>();
        foreach (FeatureStatistics f in reference.Features)
        {
            int at = -1;
            for (int i = 0; i < features.Count && at < 0; i++)
            {
                at = string.Equals(features[i], f.Name, StringComparison.Ordinal) ? i : -1;
            }

            if (at >= 0 && !source.Contains(at))
            {
                source.Add(at);
                mean.Add(f.Mean);
                scale.Add(DriftScore.Scale(f));
            }
        }

        return source.Count == 0 ? null : new SensorOodScore(name, [.. source], [.. mean], [.. scale]);
    }

    /// <summary>The score of one window's features (in the order given to <see cref="Create"/>).</summary>
    public double Compute(ReadOnlySpan<double> features)
    {
        double max = 0, squares = 0;
        int n = 0;
        for (int i = 0; i < _source.Length; i++)
        {
            double x = features[_source[i]];
            if (!double.IsFinite(x))
            {
                continue;
            }

            double shift = DriftScore.Shift(x, _mean[i], _scale[i]);
            max = Math.Max(max, shift);
            squares += shift * shift;
            n++;
        }

        return !_rms ? max : n == 0 ? 0 : Math.Sqrt(squares / n);
    }
}
