namespace GeoEdge.FleetServer.Metrics;

/// <summary>The merged metric windows of one model version (fleet-wide or over one rollout stage), as the dashboard and the
/// health gate read them.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Model version.</param>
/// <param name="Windows">Windows merged.</param>
/// <param name="Devices">Distinct devices that reported.</param>
/// <param name="Inferences">Inferences.</param>
/// <param name="Errors">Inference errors.</param>
/// <param name="OodCount">Out-of-distribution inferences.</param>
/// <param name="ErrorRate">Errors / inferences (0 without inferences).</param>
/// <param name="OodRate">OodCount / inferences (0 without inferences).</param>
/// <param name="P50LatencyMs">Median latency from the merged histograms.</param>
/// <param name="P95LatencyMs">95th percentile latency from the merged histograms.</param>
/// <param name="ConfidenceHistogram">Summed confidence bins (10 over [0, 1]).</param>
/// <param name="LatencyBoundsMs">Merged latency bucket bounds.</param>
/// <param name="LatencyCounts">Merged latency bucket counts.</param>
public sealed record VersionAggregate(
    string Model,
    string Version,
    long Windows,
    int Devices,
    long Inferences,
    long Errors,
    long OodCount,
    double ErrorRate,
    double OodRate,
    double? P50LatencyMs,
    double? P95LatencyMs,
    IReadOnlyList<long> ConfidenceHistogram,
    IReadOnlyList<double> LatencyBoundsMs,
    IReadOnlyList<long> LatencyCounts);
