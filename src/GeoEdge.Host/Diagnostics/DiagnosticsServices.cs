using GeoEdge.Host.Events;
using GeoEdge.Host.Metrics;

namespace GeoEdge.Host.Diagnostics;

/// <summary>Everything the diagnostics routes read or drive: the three ports, the metrics, the event ring and the token.</summary>
public sealed record DiagnosticsServices(
    IDeviceState State,
    IModelControl Models,
    IInferenceGateway Inference,
    MetricsRegistry Metrics,
    EventRing Events,
    DiagnosticsToken Token,
    DiagnosticsOptions Options,
    TimeProvider Time);
