using System.Globalization;
using GeoEdge.Host.Events;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Service;

/// <summary>The "log" sink: every result as one structured line of the service log (journald on a device).</summary>
internal sealed class LogEventSink(ILogger<LogEventSink> logger) : IEventSink
{
    public void Publish(in DeviceEvent e)
    {
        string? label = e.AnomalousSensors is { Count: > 0 } sensors ? string.Join(',', sensors) : e.Label;
        Log.Result(logger, e.Pipeline, e.Model, e.Version, DeviceEventKindNames.Of(e.Kind), label, e.Probability is { } p ? string.Create(CultureInfo.InvariantCulture, $" p={p:0.000}") : string.Empty, e.LatencyUs / 1000, e.Detail);
    }
}
