namespace GeoEdge.Host.Events;

/// <summary>The name of each <see cref="DeviceEventKind"/> as the event log and the status/events API write it, for the log sink.</summary>
/// <remarks>Spelled out rather than lower-casing the enum name, which gives "inferenceerror" for the "inference_error" that
/// log readers filter on; a test holds every name to the JSON attribute on <see cref="DeviceEventKind"/>.</remarks>
internal static class DeviceEventKindNames
{
    public static string Of(DeviceEventKind kind) => kind switch
    {
        DeviceEventKind.Classification => "classification",
        DeviceEventKind.Anomaly => "anomaly",
        DeviceEventKind.Rejection => "rejection",
        DeviceEventKind.Ood => "ood",
        DeviceEventKind.Activation => "activation",
        DeviceEventKind.Rollback => "rollback",
        DeviceEventKind.Error => "error",
        DeviceEventKind.Drift => "drift",
        DeviceEventKind.InferenceError => "inference_error",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a DeviceEventKind"),
    };
}
