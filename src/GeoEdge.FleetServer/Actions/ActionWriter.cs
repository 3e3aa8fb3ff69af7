using System.Text.Json;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Storage;

namespace GeoEdge.FleetServer.Actions;

/// <summary>The SQL that creates actions and gives them server-side statuses, inside the caller's transaction.</summary>
public static class ActionWriter
{
    /// <summary>Inserts a new queued action; the device's other open actions are superseded (canceled) first. False when
    /// the rollout already has this kind of action for the device (so an assignment is made exactly once).</summary>
    public static async Task<bool> CreateAsync(SqlSession s, ActionRecord action, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(action);
        long now = action.AssignedAt.ToUnixTimeMilliseconds();
        int inserted = await s.ExecuteAsync(
            "INSERT INTO actions (action_id, device_id, rollout_id, stage_index, version, is_revert, status, seq, assigned_at, updated_at) "
            + "VALUES (@a, @d, @r, @i, @v, @rev, @st, -1, @now, @now) ON CONFLICT (rollout_id, device_id, is_revert) DO NOTHING", ct,
            ("a", action.ActionId), ("d", action.DeviceId), ("r", action.RolloutId), ("i", (long)action.Stage), ("v", action.Version),
            ("rev", action.IsRevert ? 1L : 0L), ("st", ActionStatusNames.Name(ActionStatus.Queued)), ("now", now)).ConfigureAwait(false);
        if (inserted == 0)
        {
            return false;
        }

        List<string> older = await s.QueryAsync(
            $"SELECT action_id FROM actions WHERE device_id = @d AND action_id <> @a AND status IN ({ActionStatusNames.OpenList}) ORDER BY action_id",
            r => r.GetString(0), ct, ("d", action.DeviceId), ("a", action.ActionId)).ConfigureAwait(false);
        foreach (string id in older)
        {
            await SetServerStatusAsync(s, id, ActionStatus.Canceled, $"superseded by action {action.ActionId}", now, ct).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Gives an open action a status decided by the server (timed_out, canceled), with a history entry; false when
    /// the action was no longer open.</summary>
    public static async Task<bool> SetServerStatusAsync(SqlSession s, string actionId, ActionStatus status, string details, long now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s);
        int changed = await s.ExecuteAsync(
            $"UPDATE actions SET status = @st, updated_at = @now WHERE action_id = @a AND status IN ({ActionStatusNames.OpenList})", ct,
            ("st", ActionStatusNames.Name(status)), ("now", now), ("a", actionId)).ConfigureAwait(false);
        if (changed == 0)
        {
            return false;
        }

        var report = new ActionStatusReport(-1, DateTimeOffset.FromUnixTimeMilliseconds(now), status, Details: details);
        await AppendHistoryAsync(s, actionId, report, now, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Appends one entry to the action's status history.</summary>
    public static Task AppendHistoryAsync(SqlSession s, string actionId, ActionStatusReport report, long now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(report);
        return s.ExecuteAsync("INSERT INTO action_statuses (action_id, seq, status, body, received_at) VALUES (@a, @seq, @st, @body, @now)", ct,
            ("a", actionId), ("seq", report.Seq), ("st", ActionStatusNames.Name(report.Status)),
            ("body", JsonSerializer.Serialize(report, FleetJsonContext.Default.ActionStatusReport)), ("now", now));
    }
}
