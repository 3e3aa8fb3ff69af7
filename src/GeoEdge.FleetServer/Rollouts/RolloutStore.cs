using System.Data.Common;
using System.Text.Json;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Actions;
using GeoEdge.FleetServer.Storage;

namespace GeoEdge.FleetServer.Rollouts;

/// <summary>Rollouts in the database: creation (validated, devices selected and split once), views, and the operator's
/// state changes (pause, resume, approve, cancel).</summary>
public sealed class RolloutStore(FleetStore store)
{
    private const string RolloutColumns = "rollout_id, request, state, current_stage, halt_reason, revision, created_at";

    /// <summary>Validates and stores a rollout; its targeted devices are selected and split into stages now, once.</summary>
    /// <exception cref="RolloutRequestException">The request is invalid (the field is named).</exception>
    public async Task<RolloutView> CreateAsync(RolloutRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var known = new HashSet<(string, string)>();
        foreach (ModelVersionRecord v in await store.Models.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            known.Add((v.Info.Model, v.Info.Version));
        }

        RolloutValidator.Validate(request, (m, v) => known.Contains((m, v)));
        if (request.FromVersion is not null && !known.Contains((request.Model, request.FromVersion)) && request.AutoRevert)
        {
            throw new RolloutRequestException("fromVersion", $"{request.Model} {request.FromVersion} is not in the registry (auto-revert needs its bundle)");
        }

        List<DeviceRecord> devices = await store.Devices.SelectAsync(request.Target, cancellationToken).ConfigureAwait(false);
        string id = "r-" + Guid.NewGuid().ToString("N")[..16];
        IReadOnlyList<IReadOnlyList<string>> split = StageSplit.Split(id, devices.ConvertAll(d => d.DeviceId), request.Stages);
        long now = store.Time.GetUtcNow().ToUnixTimeMilliseconds();
        string state = request.ApprovalRequired ? RolloutStates.PendingApproval : RolloutStates.Running;
        await store.Database.InTransactionAsync(async (s, ct) =>
        {
            await s.ExecuteAsync(
                "INSERT INTO rollouts (rollout_id, request, model, from_version, to_version, state, current_stage, halt_reason, revision, created_at, updated_at) "
                + "VALUES (@id, @req, @m, @from, @to, @state, 0, NULL, 0, @now, @now)", ct,
                ("id", id), ("req", JsonSerializer.Serialize(request, FleetJsonContext.Default.RolloutRequest)), ("m", request.Model),
                ("from", request.FromVersion), ("to", request.ToVersion), ("state", state), ("now", now)).ConfigureAwait(false);
            for (int i = 0; i < split.Count; i++)
            {
                await s.ExecuteAsync("INSERT INTO rollout_stages (rollout_id, stage_index, name, state, started_at) VALUES (@id, @i, @n, @st, NULL)", ct,
                    ("id", id), ("i", (long)i), ("n", request.Stages[i].Name), ("st", StageStates.Waiting)).ConfigureAwait(false);
                foreach (string device in split[i])
                {
                    await s.ExecuteAsync("INSERT INTO rollout_devices (rollout_id, device_id, stage_index) VALUES (@id, @d, @i)", ct,
                        ("id", id), ("d", device), ("i", (long)i)).ConfigureAwait(false);
                }
            }
        }, cancellationToken).ConfigureAwait(false);
        return (await GetAsync(id, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>All rollouts, newest first.</summary>
    public async Task<List<RolloutView>> ListAsync(CancellationToken cancellationToken)
    {
        await using SqlSession s = await store.Database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        List<RolloutRow> rows = await s.QueryAsync($"SELECT {RolloutColumns} FROM rollouts ORDER BY created_at DESC, rollout_id", ReadRow, cancellationToken).ConfigureAwait(false);
        var views = new List<RolloutView>(rows.Count);
        foreach (RolloutRow row in rows)
        {
            views.Add(await ViewAsync(s, row, cancellationToken).ConfigureAwait(false));
        }

        return views;
    }

    /// <summary>One rollout with per-stage counts by status, or null.</summary>
    public async Task<RolloutView?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using SqlSession s = await store.Database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        RolloutRow? row = await FindAsync(s, id, cancellationToken).ConfigureAwait(false);
        return row is null ? null : await ViewAsync(s, row, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ids of the rollouts the evaluator must look at.</summary>
    public async Task<List<string>> RunningIdsAsync(CancellationToken cancellationToken)
    {
        await using SqlSession s = await store.Database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        return await s.QueryAsync("SELECT rollout_id FROM rollouts WHERE state = @st ORDER BY created_at", r => r.GetString(0), cancellationToken,
            ("st", RolloutStates.Running)).ConfigureAwait(false);
    }

    /// <summary>Moves a rollout from one of <paramref name="from"/> to <paramref name="to"/>; the outcome says why not.</summary>
    public async Task<TransitionOutcome> TransitionAsync(string id, string[] from, string to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        return await store.Database.InTransactionAsync(async (s, ct) =>
        {
            RolloutRow? row = await FindAsync(s, id, ct).ConfigureAwait(false);
            if (row is null)
            {
                return TransitionOutcome.NotFound;
            }

            if (!from.Contains(row.State))
            {
                return TransitionOutcome.Conflict;
            }

            int changed = await s.ExecuteAsync("UPDATE rollouts SET state = @to, revision = revision + 1, updated_at = @now WHERE rollout_id = @id AND revision = @rev", ct,
                ("to", to), ("now", store.Time.GetUtcNow().ToUnixTimeMilliseconds()), ("id", id), ("rev", row.Revision)).ConfigureAwait(false);
            if (changed == 0)
            {
                return TransitionOutcome.Conflict;
            }

            if (to == RolloutStates.Canceled)
            {
                await CancelActionsAsync(s, id, ct).ConfigureAwait(false);
            }

            return TransitionOutcome.Done;
        }, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<RolloutRow?> FindAsync(SqlSession s, string id, CancellationToken ct) =>
        await s.QueryFirstOrDefaultAsync($"SELECT {RolloutColumns} FROM rollouts WHERE rollout_id = @id", ReadRow, ct, ("id", id)).ConfigureAwait(false);

    // Open actions become canceled and their devices' assignments are cleared (a new desired version without one).
    private async Task CancelActionsAsync(SqlSession s, string id, CancellationToken ct)
    {
        long now = store.Time.GetUtcNow().ToUnixTimeMilliseconds();
        List<(string Action, string Device)> open = await s.QueryAsync(
            $"SELECT action_id, device_id FROM actions WHERE rollout_id = @id AND status IN ({ActionStatusNames.OpenList}) ORDER BY action_id",
            r => (r.GetString(0), r.GetString(1)), ct, ("id", id)).ConfigureAwait(false);
        foreach ((string action, string device) in open)
        {
            await ActionWriter.SetServerStatusAsync(s, action, ActionStatus.Canceled, "rollout canceled", now, ct).ConfigureAwait(false);
            await store.Devices.ClearAssignmentAsync(s, device, ct).ConfigureAwait(false);
        }

        await s.ExecuteAsync("UPDATE rollout_stages SET state = @c WHERE rollout_id = @id AND state IN (@w, @r, @b)", ct,
            ("c", StageStates.Canceled), ("id", id), ("w", StageStates.Waiting), ("r", StageStates.Running), ("b", StageStates.Baking)).ConfigureAwait(false);
    }

    private static async Task<RolloutView> ViewAsync(SqlSession s, RolloutRow row, CancellationToken ct)
    {
        List<(long Index, string Name, string State)> stages = await s.QueryAsync(
            "SELECT stage_index, name, state FROM rollout_stages WHERE rollout_id = @id ORDER BY stage_index",
            r => (r.GetInt64(0), r.GetString(1), r.GetString(2)), ct, ("id", row.Id)).ConfigureAwait(false);
        List<(long Index, string Status, long Count)> counts = await s.QueryAsync(
            "SELECT stage_index, status, COUNT(*) FROM actions WHERE rollout_id = @id AND is_revert = 0 GROUP BY stage_index, status",
            r => (r.GetInt64(0), r.GetString(1), r.GetInt64(2)), ct, ("id", row.Id)).ConfigureAwait(false);
        var progress = new List<StageProgress>(stages.Count);
        foreach ((long index, string name, string state) in stages)
        {
            var byStatus = new SortedDictionary<string, int>(StringComparer.Ordinal);
            int assigned = 0;
            foreach ((long i, string status, long count) in counts)
            {
                if (i == index)
                {
                    byStatus[status] = (int)count;
                    assigned += (int)count;
                }
            }

            progress.Add(new StageProgress(name, state, assigned, byStatus));
        }

        return new RolloutView(row.Id, row.Request, row.State, (int)row.CurrentStage, row.HaltReason, progress, DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt));
    }

    private static RolloutRow ReadRow(DbDataReader r) => new(
        r.GetString(0),
        JsonSerializer.Deserialize(r.GetString(1), FleetJsonContext.Default.RolloutRequest)!,
        r.GetString(2),
        r.GetInt64(3),
        r.IsDBNull(4) ? null : r.GetString(4),
        r.GetInt64(5),
        r.GetInt64(6));
}

/// <summary>A rollouts row.</summary>
internal sealed record RolloutRow(string Id, RolloutRequest Request, string State, long CurrentStage, string? HaltReason, long Revision, long CreatedAt);

/// <summary>How an operator's state change went.</summary>
public enum TransitionOutcome
{
    /// <summary>Changed.</summary>
    Done,

    /// <summary>No such rollout (404).</summary>
    NotFound,

    /// <summary>The rollout is not in a state that allows it (409).</summary>
    Conflict,
}
