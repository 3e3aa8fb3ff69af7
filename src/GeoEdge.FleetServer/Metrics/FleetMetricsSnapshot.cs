namespace GeoEdge.FleetServer.Metrics;

/// <summary>What GET /metrics exposes, read from the database at scrape time (so every replica answers the same).</summary>
/// <param name="DevicesByStatus">Devices per derived status (online, offline, updating, failed).</param>
/// <param name="RolloutsByState">Rollouts per state.</param>
/// <param name="StageDevices">Per running/paused/halted rollout stage: devices per action status, plus "assigned".</param>
/// <param name="MetricWindowsStored">Metric windows stored (the ingest counter; a rate() of it is the ingest rate).</param>
public sealed record FleetMetricsSnapshot(
    IReadOnlyDictionary<string, long> DevicesByStatus,
    IReadOnlyDictionary<string, long> RolloutsByState,
    IReadOnlyList<StageDeviceCount> StageDevices,
    long MetricWindowsStored);

/// <summary>Devices of one rollout stage with one status.</summary>
/// <param name="RolloutId">Rollout.</param>
/// <param name="Stage">Stage name.</param>
/// <param name="Status">An action status name, or "assigned" for all the stage's actions.</param>
/// <param name="Devices">Count.</param>
public sealed record StageDeviceCount(string RolloutId, string Stage, string Status, long Devices);
