using System.Globalization;
using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Host.Events;

/// <summary>Turns pipeline results into <see cref="DeviceEvent"/>s, so every worker reports the same way.</summary>
public static class DeviceEvents
{
    /// <summary>A classification (kind <c>ood</c> when flagged out of distribution) or the rejection that stopped it.</summary>
    public static DeviceEvent FromClassification(DateTimeOffset time, string pipeline, string model, string version, PipelineResult<CloudClassification> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Value is not { } c)
        {
            return Rejection(time, pipeline, model, version, result.Rejection!);
        }

        return new DeviceEvent(
            time,
            pipeline,
            model,
            version,
            c.Ood.IsOutOfDistribution ? DeviceEventKind.Ood : DeviceEventKind.Classification,
            c.LabelName,
            c.Confidence,
            LatencyUs: c.Timings.TotalUs);
    }

    /// <summary>An <c>anomaly</c> event naming the flagged sensors, an <c>ood</c> event (with any flagged sensors) for a window the
    /// bundle's OOD rule puts outside its training inputs, or null for an in-distribution window with none (nothing to report).</summary>
    public static DeviceEvent? FromSensorWindow(DateTimeOffset time, string pipeline, string model, string version, PipelineResult<SensorWindowScores> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Value is not { } w)
        {
            return Rejection(time, pipeline, model, version, result.Rejection!);
        }

        bool ood = w.Ood is { IsOutOfDistribution: true };
        if (w.AnomalousCount == 0 && !ood)
        {
            return null;
        }

        var flagged = new string[w.AnomalousCount];
        int n = 0;
        foreach (SensorScore s in w.Sensors)
        {
            if (s.IsAnomalous)
            {
                flagged[n++] = s.Name;
            }
        }

        if (ood)
        {
            SensorOodVerdict v = w.Ood!.Value;
            string detail = string.Create(CultureInfo.InvariantCulture, $"{v.Score} {v.Value:0.###} above its threshold {v.Threshold:0.###}: the window's scores are not to be trusted");
            return new DeviceEvent(time, pipeline, model, version, DeviceEventKind.Ood, AnomalousSensors: flagged, LatencyUs: w.Timings.TotalUs, Detail: detail);
        }

        return new DeviceEvent(time, pipeline, model, version, DeviceEventKind.Anomaly, AnomalousSensors: flagged, LatencyUs: w.Timings.TotalUs);
    }

    /// <summary>An <c>inference_error</c> event: the exception's type as the label, its message and the number of errors
    /// it reports (the first, or all since the previous report) as the detail.</summary>
    public static DeviceEvent FromError(DateTimeOffset time, string pipeline, string model, string version, Exception error, long errors)
    {
        ArgumentNullException.ThrowIfNull(error);
        string detail = errors == 1 ? error.Message : string.Create(CultureInfo.InvariantCulture, $"{errors} errors since the last report; the last: {error.Message}");
        return new DeviceEvent(time, pipeline, model, version, DeviceEventKind.InferenceError, error.GetType().Name, Detail: detail);
    }

    private static DeviceEvent Rejection(DateTimeOffset time, string pipeline, string model, string version, PipelineRejection rejection) =>
        new(time, pipeline, model, version, DeviceEventKind.Rejection, rejection.Reason.ToString(), Detail: rejection.Detail);
}
