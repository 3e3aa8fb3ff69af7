namespace GeoEdge.Host.Events;

/// <summary>One thing the device saw or did, as pipelines publish it to every <see cref="IEventSink"/>.</summary>
/// <param name="Time">When it happened (the pipeline's TimeProvider).</param>
/// <param name="Pipeline">The pipeline's configured name; empty for device-level events (an activation).</param>
/// <param name="Model">Model name.</param>
/// <param name="Version">Model version that produced the event.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Label">Classification: the label name; rejection: the <c>RejectionReason</c>.</param>
/// <param name="Probability">Classification: the calibrated confidence of <paramref name="Label"/>.</param>
/// <param name="AnomalousSensors">Anomaly: the names of the sensors flagged.</param>
/// <param name="LatencyUs">End-to-end time of the inference in microseconds (0 when not an inference).</param>
/// <param name="Detail">Free text for a human: the rejection's detail, the activation's outcome.</param>
public readonly record struct DeviceEvent(
    DateTimeOffset Time,
    string Pipeline,
    string Model,
    string Version,
    DeviceEventKind Kind,
    string? Label = null,
    double? Probability = null,
    IReadOnlyList<string>? AnomalousSensors = null,
    double LatencyUs = 0,
    string? Detail = null);
