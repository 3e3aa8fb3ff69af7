namespace GeoEdge.FleetSimulator;

/// <summary>The device calls the simulator times separately, named by the route they hit.</summary>
internal enum RequestKind
{
    Enroll,
    Desired,
    Reported,
    ActionStatus,
    MetricsBatch,
    Bundle,
    Other,
}

/// <summary>Maps a device request's method and path to its <see cref="RequestKind"/>.</summary>
internal static class RequestKinds
{
    public static RequestKind Of(HttpMethod method, string path) => path switch
    {
        "/v1/enroll" => RequestKind.Enroll,
        _ when path.StartsWith("/v1/bundles/", StringComparison.Ordinal) => RequestKind.Bundle,
        _ when path.EndsWith("/desired", StringComparison.Ordinal) && method == HttpMethod.Get => RequestKind.Desired,
        _ when path.EndsWith("/reported", StringComparison.Ordinal) => RequestKind.Reported,
        _ when path.EndsWith("/status", StringComparison.Ordinal) => RequestKind.ActionStatus,
        _ when path.EndsWith("/metrics:batch", StringComparison.Ordinal) => RequestKind.MetricsBatch,
        _ => RequestKind.Other,
    };

    /// <summary>The name the report uses (snake_case, as the fleet's wire names).</summary>
    public static string Name(RequestKind kind) => kind switch
    {
        RequestKind.Enroll => "enroll",
        RequestKind.Desired => "desired",
        RequestKind.Reported => "reported",
        RequestKind.ActionStatus => "action_status",
        RequestKind.MetricsBatch => "metrics_batch",
        RequestKind.Bundle => "bundle",
        _ => "other",
    };
}
