using GeoEdge.FleetServer.Devices;
using GeoEdge.FleetServer.Rollouts;
using GeoEdge.FleetServer.Storage;

namespace GeoEdge.FleetServer.Metrics;

/// <summary>Reads the fleet-wide figures GET /metrics exposes from the database.</summary>
public sealed class FleetMetricsReader(FleetStore store, TimeSpan offlineAfter)
{
    public async Task<FleetMetricsSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = store.Time.GetUtcNow();
        var devices = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (DeviceRecord d in await store.Devices.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            string status = DeviceViews.From(d, now, offlineAfter).Status;
            devices[status] = devices.GetValueOrDefault(status) + 1;
        }

        await using SqlSession s = await store.Database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var rollouts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach ((string state, long count) in await s.QueryAsync("SELECT state, COUNT(*) FROM rollouts GROUP BY state",
            r => (r.GetString(0), r.GetInt64(1)), cancellationToken).ConfigureAwait(false))
        {
            rollouts[state] = count;
        }

        // Stages of rollouts still worth watching (not canceled or long succeeded): per status, and "assigned" in all.
        List<(string Rollout, string Stage, string Status, long Count)> rows = await s.QueryAsync(
            "SELECT a.rollout_id, st.name, a.status, COUNT(*) FROM actions a "
            + "JOIN rollout_stages st ON st.rollout_id = a.rollout_id AND st.stage_index = a.stage_index "
            + "JOIN rollouts r ON r.rollout_id = a.rollout_id "
            + "WHERE a.is_revert = 0 AND r.state IN (@p, @run, @pause, @halt) "
            + "GROUP BY a.rollout_id, st.stage_index, st.name, a.status ORDER BY a.rollout_id, st.stage_index, a.status",
            r => (r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3)), cancellationToken,
            ("p", RolloutStates.PendingApproval), ("run", RolloutStates.Running), ("pause", RolloutStates.Paused), ("halt", RolloutStates.Halted)).ConfigureAwait(false);
        var stages = new List<StageDeviceCount>();
        foreach (IGrouping<(string, string), (string Rollout, string Stage, string Status, long Count)> g in rows.GroupBy(r => (r.Rollout, r.Stage)))
        {
            stages.Add(new StageDeviceCount(g.Key.Item1, g.Key.Item2, "assigned", g.Sum(x => x.Count)));
            stages.AddRange(g.Select(x => new StageDeviceCount(x.Rollout, x.Stage, x.Status, x.Count)));
        }

        long windows = await new MetricsStore(store).CountAsync(cancellationToken).ConfigureAwait(false);
        return new FleetMetricsSnapshot(devices, rollouts, stages, windows);
    }
}
