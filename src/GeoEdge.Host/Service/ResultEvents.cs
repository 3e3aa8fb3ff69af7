using GeoEdge.Host.Events;
using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Host.Service;

/// <summary>Turns a pipeline result into the <see cref="DeviceEvent"/> the sinks receive.</summary>
internal static class ResultEvents
{
    public static DeviceEvent From(PipelineResult<CloudClassification> result, DateTimeOffset time, string pipeline, string model, string version, double latencyUs)
    {
        if (result.Value is not { } c)
        {
            return new DeviceEvent(time, pipeline, model, version, DeviceEventKind.Rejection, result.Reason.ToString(), null, null, latencyUs, result.Rejection!.Detail);
        }

        return c.Ood.IsOutOfDistribution
            ? new DeviceEvent(time, pipeline, model, version, DeviceEventKind.Ood, c.LabelName, c.Confidence, null, latencyUs, $"{c.Ood.Score}={c.Ood.Value:0.###} threshold {c.Ood.Threshold:0.###}")
            : new DeviceEvent(time, pipeline, model, version, DeviceEventKind.Classification, c.LabelName, c.Confidence, null, latencyUs);
    }

    public static DeviceEvent From(PipelineResult<SensorWindowScores> result, DateTimeOffset time, string pipeline, string model, string version, double latencyUs)
    {
        if (result.Value is not { } w)
        {
            return new DeviceEvent(time, pipeline, model, version, DeviceEventKind.Rejection, result.Reason.ToString(), null, null, latencyUs, result.Rejection!.Detail);
        }

        if (w.AnomalousCount == 0)
        {
            return new DeviceEvent(time, pipeline, model, version, DeviceEventKind.Classification, "normal", null, null, latencyUs, $"window from {w.WindowStart:yyyy-MM-ddTHH:mm}");
        }

        var flagged = new List<string>(w.AnomalousCount);
        foreach (SensorScore s in w.Sensors)
        {
            if (s.IsAnomalous)
            {
                flagged.Add(s.Name);
            }
        }

        return new DeviceEvent(time, pipeline, model, version, DeviceEventKind.Anomaly, "anomaly", null, flagged, latencyUs, $"window from {w.WindowStart:yyyy-MM-ddTHH:mm}");
    }
}
