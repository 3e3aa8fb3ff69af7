using System.Text.Json;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Storage;

namespace GeoEdge.FleetSimulator;

/// <summary>Reads metric_windows after the run and hands the rows to <see cref="WindowAuditor"/>.</summary>
internal static class WindowAudit
{
    public static async Task<AuditResult> RunAsync(FleetDatabase database, IReadOnlyList<QueueState> queues, long inferencesRecorded, CancellationToken cancellationToken)
    {
        List<WindowRow> rows;
        await using (SqlSession session = await database.OpenSessionAsync(cancellationToken).ConfigureAwait(false))
        {
            rows = await session.QueryAsync("SELECT device_id, epoch, seq, model, version, window_start, body FROM metric_windows",
                r => new WindowRow(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3), r.GetString(4), r.GetInt64(5),
                    JsonSerializer.Deserialize(r.GetString(6), FleetJsonContext.Default.MetricsWindow)?.Inferences ?? 0), cancellationToken).ConfigureAwait(false);
        }

        return WindowAuditor.Audit(rows, queues, inferencesRecorded);
    }
}
