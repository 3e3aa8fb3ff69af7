namespace GeoEdge.FleetSimulator;

/// <summary>Everything one run measured (the JSON report; <see cref="ReportTable"/> prints the same as a table).</summary>
/// <remarks>CpuSeconds is the whole process (server and every simulated device) from start to report: on a shared
/// machine, CpuSeconds / WallSeconds says how much of the CPU the run actually got.</remarks>
internal sealed record SimulationReport(
    string Command,
    string Database,
    int Devices,
    int Enrolled,
    double EnrollSeconds,
    int SustainedDevices,
    int SustainedThroughRollout,
    double SteadyStartSeconds,
    double SteadySeconds,
    int PollSeconds,
    int WindowSeconds,
    double LoadAverageStart,
    double LoadAverageEnd,
    int Cores,
    long PeakRssMb,
    double CpuSeconds,
    double WallSeconds,
    IReadOnlyList<RequestStats> Requests,
    IReadOnlyList<RequestStats> RolloutRequests,
    AuditResult Windows,
    RolloutResult Rollout,
    DownloadResult Download,
    IReadOnlyDictionary<string, int> Warnings);

/// <summary>One request kind over a phase, client side: Requests = enrollment (enroll) and the steady phase before the
/// rollout; RolloutRequests = from the rollout's creation to the end of the run.</summary>
/// <param name="Kind">Request kind.</param>
/// <param name="Count">Requests sent (each retry counts).</param>
/// <param name="PerSecond">Count over the phase's seconds.</param>
/// <param name="P50Ms">Median latency to the response headers.</param>
/// <param name="P99Ms">99th percentile.</param>
/// <param name="MaxMs">Slowest.</param>
/// <param name="Failed">No answer, 5xx or 429.</param>
internal sealed record RequestStats(string Kind, int Count, double PerSecond, double P50Ms, double P99Ms, double MaxMs, int Failed);

/// <summary>The mid-run rollout: from the rollout's creation to each device finding the new version active.</summary>
/// <param name="Version">Version rolled out.</param>
/// <param name="StartedAtSeconds">Run seconds at which the rollout was created.</param>
/// <param name="Converged">Devices that activated it.</param>
/// <param name="P50Seconds">Median time to converge.</param>
/// <param name="AllSeconds">Time until the last device converged (null: not all did).</param>
/// <param name="ServerState">The rollout's state as the server saw it at the end.</param>
/// <param name="ServerByStatus">The server's per-status device counts at the end (all stages).</param>
internal sealed record RolloutResult(string Version, double StartedAtSeconds, int Converged, double? P50Seconds, double? AllSeconds, string ServerState, IReadOnlyDictionary<string, int> ServerByStatus);

/// <summary>Bundle bytes: through the agent's BundleDownload (request to last byte) against File.Copy of the same file.</summary>
/// <param name="BundleBytes">Size of the .geob.</param>
/// <param name="Downloads">Bundle bodies read to the end.</param>
/// <param name="DownloadMedianMBps">Median of bytes/time per download.</param>
/// <param name="DownloadAggregateMBps">All bytes over the time at least one download was in flight.</param>
/// <param name="Copies">File.Copy runs of the same file (same count, after the run).</param>
/// <param name="CopyMedianMBps">Median of bytes/time per copy.</param>
/// <param name="CopyAggregateMBps">All bytes over the copies' total time.</param>
internal sealed record DownloadResult(long BundleBytes, int Downloads, double DownloadMedianMBps, double DownloadAggregateMBps, int Copies, double CopyMedianMBps, double CopyAggregateMBps);
