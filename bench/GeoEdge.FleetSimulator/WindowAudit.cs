using System.Text.Json;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Storage;

namespace GeoEdge.FleetSimulator;

/// <summary>Windows sent against rows in the database after the run: every seq a device sent and had acknowledged must be
/// there once (lost = missing), no window may be there twice under another seq (duplicated = same device, model,
/// version and start), and the inferences in the rows must add up to what the workload recorded.</summary>
internal static class WindowAudit
{
    public static async Task<AuditResult> RunAsync(FleetDatabase database, IReadOnlyList<QueueState> queues, long inferencesRecorded, CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        await using (SqlSession session = await database.OpenSessionAsync(cancellationToken).ConfigureAwait(false))
        {
            rows = await session.QueryAsync("SELECT device_id, epoch, seq, model, version, window_start, body FROM metric_windows",
                r => new Row(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3), r.GetString(4), r.GetInt64(5), r.GetString(6)), cancellationToken).ConfigureAwait(false);
        }

        var byDevice = new Dictionary<string, QueueState>(StringComparer.Ordinal);
        long sent = 0;
        long pending = 0;
        foreach (QueueState q in queues)
        {
            if (q.DeviceId is not null)
            {
                byDevice[q.DeviceId] = q;
                sent += q.NextSeq - 1;
                pending += q.Pending;
            }
        }

        var present = new HashSet<(string, long, long)>();
        var windows = new HashSet<(string, string, string, long)>();
        long duplicated = 0;
        long unexpected = 0;
        long inferences = 0;
        foreach (Row row in rows)
        {
            present.Add((row.Device, row.Epoch, row.Seq));
            if (!windows.Add((row.Device, row.Model, row.Version, row.WindowStart)))
            {
                duplicated++;
            }

            if (!byDevice.TryGetValue(row.Device, out QueueState? q) || q.Epoch != row.Epoch || row.Seq >= q.NextSeq)
            {
                unexpected++;
            }

            inferences += JsonSerializer.Deserialize(row.Body, FleetJsonContext.Default.MetricsWindow)?.Inferences ?? 0;
        }

        long lost = 0;
        foreach (QueueState q in byDevice.Values)
        {
            for (long seq = 1; seq < q.NextSeq - q.Pending; seq++)
            {
                if (!present.Contains((q.DeviceId!, q.Epoch, seq)))
                {
                    lost++;
                }
            }
        }

        return new AuditResult(sent, rows.Count, pending, lost, duplicated + unexpected, inferencesRecorded, inferences);
    }

    private sealed record Row(string Device, long Epoch, long Seq, string Model, string Version, long WindowStart, string Body);
}

/// <summary>What <see cref="WindowAudit"/> found.</summary>
/// <param name="WindowsSent">Windows the devices' queues numbered (all seqs handed out).</param>
/// <param name="RowsInDatabase">metric_windows rows.</param>
/// <param name="Pending">Windows still unacknowledged in the queues after the drain.</param>
/// <param name="Lost">Acknowledged windows with no row.</param>
/// <param name="Duplicated">Rows that repeat a window, or that no device sent.</param>
/// <param name="InferencesRecorded">Inferences the workload recorded into the devices' windows.</param>
/// <param name="InferencesInDatabase">Sum of the rows' inference counts.</param>
internal sealed record AuditResult(long WindowsSent, long RowsInDatabase, long Pending, long Lost, long Duplicated, long InferencesRecorded, long InferencesInDatabase)
{
    public bool Clean => Lost == 0 && Duplicated == 0 && Pending == 0 && InferencesRecorded == InferencesInDatabase;
}
