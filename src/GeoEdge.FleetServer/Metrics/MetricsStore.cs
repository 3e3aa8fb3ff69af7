using System.Text.Json;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Rollouts;
using GeoEdge.FleetServer.Storage;

namespace GeoEdge.FleetServer.Metrics;

/// <summary>Device metric windows, stored exactly once per (device, epoch, seq) and read back as per-version aggregates.</summary>
public sealed class MetricsStore(FleetStore store)
{
    /// <summary>Stores a validated batch in one transaction ("insert .. on conflict do nothing"): a replay writes 0 and acks
    /// the same. Each window is tagged with the rollout stage that moved the device to the window's version, if any.</summary>
    /// <exception cref="MetricsBatchException">The batch is malformed (nothing is stored).</exception>
    public async Task<MetricsAck> IngestAsync(string deviceId, MetricsBatch batch, CancellationToken cancellationToken)
    {
        MetricsBatchValidator.Validate(batch);
        return await store.Database.InTransactionAsync(async (s, ct) =>
        {
            long now = store.Time.GetUtcNow().ToUnixTimeMilliseconds();
            var stages = new Dictionary<(string, string), (string? Rollout, long? Stage)>();
            int written = 0;
            foreach (MetricsWindow w in batch.Records)
            {
                if (!stages.TryGetValue((w.Model, w.Version), out (string? Rollout, long? Stage) tag))
                {
                    tag = await StageOfAsync(s, deviceId, w.Version, ct).ConfigureAwait(false);
                    stages[(w.Model, w.Version)] = tag;
                }

                written += await s.ExecuteAsync(
                    "INSERT INTO metric_windows (device_id, epoch, seq, model, version, rollout_id, stage_index, window_start, window_end, body, received_at) "
                    + "VALUES (@d, @e, @seq, @m, @v, @r, @i, @ws, @we, @body, @now) ON CONFLICT (device_id, epoch, seq) DO NOTHING", ct,
                    ("d", deviceId), ("e", batch.Epoch), ("seq", w.Seq), ("m", w.Model), ("v", w.Version), ("r", tag.Rollout), ("i", tag.Stage),
                    ("ws", w.Start.ToUnixTimeMilliseconds()), ("we", w.End.ToUnixTimeMilliseconds()),
                    ("body", JsonSerializer.Serialize(w, FleetJsonContext.Default.MetricsWindow)), ("now", now)).ConfigureAwait(false);
            }

            // Every record is now stored (newly or before), so everything through lastSeq is safe to delete on the device.
            return new MetricsAck(batch.LastSeq, written);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Windows stored in all.</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using SqlSession s = await store.Database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        return await s.ScalarInt64Async("SELECT COUNT(*) FROM metric_windows", cancellationToken).ConfigureAwait(false) ?? 0;
    }

    /// <summary>Per model version over the whole fleet, ordered by model and version.</summary>
    public async Task<List<VersionAggregate>> AggregateByVersionAsync(CancellationToken cancellationToken)
    {
        await using SqlSession s = await store.Database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        List<(string Device, MetricsWindow Window)> rows = await s.QueryAsync("SELECT device_id, body FROM metric_windows ORDER BY model, version, device_id, epoch, seq",
            r => (r.GetString(0), JsonSerializer.Deserialize(r.GetString(1), FleetJsonContext.Default.MetricsWindow)!), cancellationToken).ConfigureAwait(false);
        var aggregators = new SortedDictionary<(string, string), VersionAggregator>();
        foreach ((string device, MetricsWindow w) in rows)
        {
            if (!aggregators.TryGetValue((w.Model, w.Version), out VersionAggregator? agg))
            {
                agg = new VersionAggregator(w.Model, w.Version);
                aggregators[(w.Model, w.Version)] = agg;
            }

            agg.Add(device, w);
        }

        return [.. aggregators.Values.Select(a => a.ToAggregate())];
    }

    /// <summary>The health-gate signals of one rollout stage: its devices' windows for <paramref name="version"/>; null without any.</summary>
    public static async Task<VersionHealth?> StageHealthAsync(SqlSession s, string rolloutId, int stage, string version, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s);
        List<(string Device, MetricsWindow Window)> rows = await s.QueryAsync(
            "SELECT device_id, body FROM metric_windows WHERE rollout_id = @r AND stage_index = @i AND version = @v ORDER BY device_id, epoch, seq",
            r => (r.GetString(0), JsonSerializer.Deserialize(r.GetString(1), FleetJsonContext.Default.MetricsWindow)!), ct,
            ("r", rolloutId), ("i", (long)stage), ("v", version)).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        var agg = new VersionAggregator(rows[0].Window.Model, version);
        foreach ((string device, MetricsWindow w) in rows)
        {
            agg.Add(device, w);
        }

        VersionAggregate a = agg.ToAggregate();
        return new VersionHealth(a.Inferences, a.Errors, a.P95LatencyMs);
    }

    // The newest forward action of a rollout that moved this device to this version.
    private static async Task<(string? Rollout, long? Stage)> StageOfAsync(SqlSession s, string deviceId, string version, CancellationToken ct)
    {
        List<(string Rollout, long Stage)> rows = await s.QueryAsync(
            "SELECT rollout_id, stage_index FROM actions WHERE device_id = @d AND version = @v AND is_revert = 0 AND status <> 'canceled' ORDER BY assigned_at DESC, action_id LIMIT 1",
            r => (r.GetString(0), r.GetInt64(1)), ct, ("d", deviceId), ("v", version)).ConfigureAwait(false);
        return rows.Count == 0 ? (null, null) : (rows[0].Rollout, rows[0].Stage);
    }
}
