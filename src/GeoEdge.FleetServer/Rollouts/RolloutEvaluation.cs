using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Actions;
using GeoEdge.FleetServer.Metrics;
using GeoEdge.FleetServer.Storage;

namespace GeoEdge.FleetServer.Rollouts;

/// <summary>One evaluation of one rollout in one transaction: load the snapshot, let RolloutPlanner decide, write the
/// decision (actions, assignments through DeviceStore.AssignAsync, stage states, halt reason).</summary>
/// <remarks>The write is conditional on the rollout's revision as read, so even a replica whose lease ran out mid-way
/// cannot apply a stale decision over another's; the unique (rollout, device, kind) action key makes each assignment once.</remarks>
public sealed class RolloutEvaluation(FleetStore store)
{
    /// <summary>Evaluates rollout <paramref name="id"/>; returns what was applied, or null when nothing changed or another
    /// writer changed the rollout first.</summary>
    public async Task<RolloutDecision?> RunAsync(string id, CancellationToken cancellationToken) =>
        await store.Database.InTransactionAsync(async (s, ct) =>
        {
            RolloutRow? row = await RolloutStore.FindAsync(s, id, ct).ConfigureAwait(false);
            if (row is null)
            {
                return null;
            }

            RolloutSnapshot snapshot = await LoadAsync(s, row, ct).ConfigureAwait(false);
            DateTimeOffset now = store.Time.GetUtcNow();
            RolloutDecision decision = RolloutPlanner.Evaluate(snapshot, now);
            if (decision.IsEmpty(snapshot))
            {
                return null;
            }

            int claimed = await s.ExecuteAsync(
                "UPDATE rollouts SET state = @st, current_stage = @cur, halt_reason = COALESCE(@reason, halt_reason), revision = revision + 1, updated_at = @now "
                + "WHERE rollout_id = @id AND revision = @rev", ct,
                ("st", decision.State), ("cur", (long)decision.CurrentStage), ("reason", decision.HaltReason), ("now", now.ToUnixTimeMilliseconds()),
                ("id", id), ("rev", row.Revision)).ConfigureAwait(false);
            if (claimed == 0)
            {
                return null;
            }

            await ApplyAsync(s, snapshot, decision, now, ct).ConfigureAwait(false);
            return decision;
        }, cancellationToken).ConfigureAwait(false);

    private async Task ApplyAsync(SqlSession s, RolloutSnapshot snapshot, RolloutDecision decision, DateTimeOffset now, CancellationToken ct)
    {
        long nowMs = now.ToUnixTimeMilliseconds();
        foreach (StageChange change in decision.StageStates)
        {
            bool starting = snapshot.Stages[change.Index].State == StageStates.Waiting;
            await s.ExecuteAsync(
                "UPDATE rollout_stages SET state = @st, started_at = CASE WHEN @start = 1 THEN @now ELSE started_at END WHERE rollout_id = @id AND stage_index = @i", ct,
                ("st", change.State), ("start", starting ? 1L : 0L), ("now", nowMs), ("id", snapshot.Id), ("i", (long)change.Index)).ConfigureAwait(false);
        }

        foreach (string action in decision.TimedOut)
        {
            await ActionWriter.SetServerStatusAsync(s, action, ActionStatus.TimedOut, "no terminal status within the stage's in-progress timeout", nowMs, ct).ConfigureAwait(false);
        }

        RolloutRequest request = snapshot.Request;
        if (decision.Assign.Count > 0)
        {
            BundleReference bundle = await BundleAsync(request.Model, request.ToVersion, ct).ConfigureAwait(false);
            foreach (StageAssignment a in decision.Assign)
            {
                await AssignAsync(s, snapshot, a.DeviceId, a.Index, request.ToVersion, bundle, isRevert: false, now, ct).ConfigureAwait(false);
            }
        }

        if (decision.Revert.Count > 0 && request.FromVersion is { } from)
        {
            BundleReference bundle = await BundleAsync(request.Model, from, ct).ConfigureAwait(false);
            foreach (string device in decision.Revert)
            {
                await AssignAsync(s, snapshot, device, decision.CurrentStage, from, bundle, isRevert: true, now, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task AssignAsync(SqlSession s, RolloutSnapshot snapshot, string device, int stage, string version, BundleReference bundle, bool isRevert, DateTimeOffset now, CancellationToken ct)
    {
        string actionId = "a-" + Guid.NewGuid().ToString("N")[..20];
        var action = new ActionRecord(actionId, device, snapshot.Id, stage, version, isRevert, ActionStatus.Queued, -1, now, now);
        if (!await ActionWriter.CreateAsync(s, action, ct).ConfigureAwait(false))
        {
            return;
        }

        string stageName = snapshot.Request.Stages[Math.Min(stage, snapshot.Request.Stages.Count - 1)].Name;
        var assignment = new Assignment(actionId, snapshot.Id, isRevert ? stageName + " (revert)" : stageName, snapshot.Request.Model, version, bundle,
            AssignmentMode.Forced, isRevert ? AssignmentMode.Forced : AssignmentMode.Attempt, isRevert ? null : snapshot.Request.MaintenanceWindow);
        await store.Devices.AssignAsync(s, device, assignment, ct).ConfigureAwait(false);
    }

    private async Task<BundleReference> BundleAsync(string model, string version, CancellationToken ct)
    {
        ModelVersionRecord record = await store.Models.GetAsync(model, version, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{model} {version} is no longer in the registry");
        return record.ToBundleReference();
    }

    private static async Task<RolloutSnapshot> LoadAsync(SqlSession s, RolloutRow row, CancellationToken ct)
    {
        List<(long Index, string State, long? StartedAt)> stages = await s.QueryAsync(
            "SELECT stage_index, state, started_at FROM rollout_stages WHERE rollout_id = @id ORDER BY stage_index",
            r => (r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? (long?)null : r.GetInt64(2)), ct, ("id", row.Id)).ConfigureAwait(false);
        List<(string Device, long Stage)> devices = await s.QueryAsync(
            "SELECT device_id, stage_index FROM rollout_devices WHERE rollout_id = @id ORDER BY device_id",
            r => (r.GetString(0), r.GetInt64(1)), ct, ("id", row.Id)).ConfigureAwait(false);
        List<ActionRecord> actions = await s.QueryAsync(
            $"SELECT {ActionStore.Columns} FROM actions WHERE rollout_id = @id AND is_revert = 0 ORDER BY device_id", ActionStore.Read, ct, ("id", row.Id)).ConfigureAwait(false);
        var result = new List<StageSnapshot>(stages.Count);
        foreach ((long index, string state, long? startedAt) in stages)
        {
            // The split's stable order, so the planner assigns (and tests read) devices in the same order on every replica.
            string[] members = StageSplit.Order(row.Id, devices.Where(d => d.Stage == index).Select(d => d.Device).ToArray());
            ActionSnapshot[] stageActions = actions.Where(a => a.Stage == index)
                .Select(a => new ActionSnapshot(a.ActionId, a.DeviceId, a.Status, a.AssignedAt)).ToArray();
            VersionHealth? health = state is StageStates.Running or StageStates.Baking
                ? await MetricsStore.StageHealthAsync(s, row.Id, (int)index, row.Request.ToVersion, ct).ConfigureAwait(false)
                : null;
            result.Add(new StageSnapshot(state, members, startedAt is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null, stageActions, health));
        }

        return new RolloutSnapshot(row.Id, row.Request, row.State, (int)row.CurrentStage, result);
    }
}
