using GeoEdge.Fleet.Contracts;

namespace GeoEdge.FleetServer.Metrics;

/// <summary>Folds stored metric windows of one model version into a VersionAggregate.</summary>
public sealed class VersionAggregator(string model, string version)
{
    private readonly LatencyHistogramMerge _latency = new();
    private readonly long[] _confidence = new long[MetricsBatchValidator.ConfidenceBins];
    private readonly HashSet<string> _devices = new(StringComparer.Ordinal);
    private long _windows;
    private long _inferences;
    private long _errors;
    private long _ood;
    private long _driftWindows;
    private double _driftSum;
    private double _driftMax;

    public void Add(string deviceId, MetricsWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        _devices.Add(deviceId);
        _windows++;
        _inferences += window.Inferences;
        _errors += window.Errors;
        _ood += window.OodCount;
        for (int i = 0; i < _confidence.Length && i < window.ConfidenceHistogram.Count; i++)
        {
            _confidence[i] += window.ConfidenceHistogram[i];
        }

        _latency.Add(window.LatencyBoundsMs, window.LatencyCounts);
        if (window.DriftScore is double drift)
        {
            _driftWindows++;
            _driftSum += drift;
            _driftMax = Math.Max(_driftMax, drift);
        }
    }

    public VersionAggregate ToAggregate() => new(
        model,
        version,
        _windows,
        _devices.Count,
        _inferences,
        _errors,
        _ood,
        _inferences == 0 ? 0 : (double)_errors / _inferences,
        _inferences == 0 ? 0 : (double)_ood / _inferences,
        _latency.Quantile(0.5),
        _latency.Quantile(0.95),
        [.. _confidence],
        [.. _latency.BoundsMs],
        [.. _latency.Counts],
        _driftWindows,
        _driftWindows == 0 ? null : _driftSum / _driftWindows,
        _driftWindows == 0 ? null : _driftMax);
}
