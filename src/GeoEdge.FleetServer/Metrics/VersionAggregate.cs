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
/// <param name="DriftWindows">Windows that carried a drift score (the device's bundle has a drift reference and the window had inferences).</param>
/// <param name="DriftScoreMean">Mean of those windows' drift scores; null without any.</param>
/// <param name="DriftScoreMax">Largest of those windows' drift scores (above 3 = drifted); null without any.</param>
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
    IReadOnlyList<long> LatencyCounts,
    long DriftWindows = 0,
    double? DriftScoreMean = null,
    double? DriftScoreMax = null);
