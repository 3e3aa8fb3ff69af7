using System.Globalization;
using GeoEdge.Host.Configuration;
using GeoEdge.Host.Events;
using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Host.Service;

/// <summary>One pipeline's drift event rule: a <c>drift</c> event when the running score of the version's DriftMonitor reaches
/// the configured threshold, once per crossing.</summary>
/// <remarks>After an event the rule re-arms only when the score falls below 80% of the threshold, so a score hovering at the
/// threshold does not flood the sinks. A new monitor (a swap, a reload) starts armed. Checking reads the monitor's running
/// score (one pass over its features under its lock) and allocates nothing unless it publishes. One worker's loop uses it.</remarks>
internal sealed class DriftAlarm(DriftOptions options)
{
    private const double RearmFraction = 0.8;

    private DriftMonitor? _monitor;
    private bool _armed = true;

    /// <summary>The event to publish after an input of <paramref name="version"/> ran with <paramref name="monitor"/>, or null.</summary>
    public DeviceEvent? Check(DateTimeOffset time, string pipeline, string model, string version, DriftMonitor? monitor)
    {
        if (!options.Events || monitor is null)
        {
            return null;
        }

        if (!ReferenceEquals(monitor, _monitor))
        {
            (_monitor, _armed) = (monitor, true);
        }

        if (monitor.Inputs < options.MinInputs || monitor.Assess() is not (double score, string feature))
        {
            return null;
        }

        if (!_armed)
        {
            _armed = score < RearmFraction * options.Threshold;
            return null;
        }

        if (score < options.Threshold)
        {
            return null;
        }

        _armed = false;
        return new DeviceEvent(time, pipeline, model, version, DeviceEventKind.Drift, feature, Detail: string.Create(CultureInfo.InvariantCulture,
            $"input drift {score:0.00} >= {options.Threshold:0.##}: the live mean of '{feature}' is {score:0.00} reference standard deviations from the bundle's (about the last {DriftMonitor.GaugeInputs} inputs)"));
    }
}
