using System.Globalization;
using System.Text;

namespace GeoEdge.FleetSimulator;

/// <summary>The report as the Markdown tables bench/RESULTS.md takes.</summary>
internal static class ReportTable
{
    public static string Format(SimulationReport r)
    {
        var s = new StringBuilder();
        Line(s, $"`{r.Command}`");
        Line(s, $"database: {r.Database}; {r.Cores} cores; load average {r.LoadAverageStart:0.0} at start, {r.LoadAverageEnd:0.0} at end; peak RSS {r.PeakRssMb} MiB; CPU {r.CpuSeconds:0} s in {r.WallSeconds:0} s wall ({r.CpuSeconds / r.WallSeconds:0.00} cores on average, server and devices together)");
        Line(s, $"devices: {r.Devices} started, {r.Enrolled} enrolled in {r.EnrollSeconds:0.0} s, **{r.SustainedDevices} sustained** before the rollout and {r.SustainedThroughRollout} through it (every desired poll answered within the poll interval, no call failed) over {r.SteadySeconds:0} s (poll {r.PollSeconds} s, window {r.WindowSeconds} s)");
        Requests(s, $"before the rollout ({r.Rollout.StartedAtSeconds - r.SteadyStartSeconds:0} s; enroll: the enrollment phase)", r.Requests);
        Requests(s, $"from the rollout's start to the end ({r.SteadyStartSeconds + r.SteadySeconds - r.Rollout.StartedAtSeconds:0} s)", r.RolloutRequests);

        AuditResult w = r.Windows;
        Line(s, "");
        Line(s, $"metrics windows: {w.WindowsSent} sent, {w.RowsInDatabase} rows in the database, **{w.Lost} lost, {w.Duplicated} duplicated**, {w.Pending} undelivered; inferences {w.InferencesRecorded} recorded, {w.InferencesInDatabase} in the rows");
        RolloutResult o = r.Rollout;
        Line(s, $"rollout to {o.Version} (started at {o.StartedAtSeconds:0} s): {o.Converged}/{r.Enrolled} converged, p50 {Seconds(o.P50Seconds)}, all {Seconds(o.AllSeconds)}; server: {o.ServerState} {Counts(o.ServerByStatus)}");
        DownloadResult d = r.Download;
        Line(s, $"bundle ({d.BundleBytes} bytes): {d.Downloads} downloads, median {d.DownloadMedianMBps:0.00} MB/s each, {d.DownloadAggregateMBps:0.00} MB/s aggregate while any was in flight; File.Copy ×{d.Copies}: median {d.CopyMedianMBps:0.00} MB/s, {d.CopyAggregateMBps:0.00} MB/s aggregate");
        if (r.Warnings.Count > 0)
        {
            Line(s, $"warnings: {Counts(r.Warnings)}");
        }

        return s.ToString();
    }

    private static void Requests(StringBuilder s, string phase, IReadOnlyList<RequestStats> requests)
    {
        Line(s, "");
        Line(s, $"| request, {phase} | count | per s | p50 ms | p99 ms | max ms | failed |");
        Line(s, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (RequestStats q in requests)
        {
            Line(s, $"| {q.Kind} | {q.Count} | {q.PerSecond:0.0} | {q.P50Ms:0.0} | {q.P99Ms:0.0} | {q.MaxMs:0} | {q.Failed} |");
        }
    }

    private static string Seconds(double? seconds) => seconds is { } x ? x.ToString("0.0 's'", CultureInfo.InvariantCulture) : "not reached";

    private static string Counts(IReadOnlyDictionary<string, int> counts) => string.Join(", ", counts.Select(c => $"{c.Key}: {c.Value}"));

    private static void Line(StringBuilder s, string line) => s.Append(line).Append('\n');
}
