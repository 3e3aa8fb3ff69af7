using System.Data.Common;
using System.Text.Json;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Storage;

namespace GeoEdge.FleetServer.Actions;

/// <summary>Device status reports on actions, exactly once per Idempotency-Key, and the actions' histories.</summary>
public sealed class ActionStore(FleetStore store)
{
    internal const string Columns = "action_id, device_id, rollout_id, stage_index, version, is_revert, status, seq, assigned_at, updated_at";

    /// <summary>Applies a device's status report under its Idempotency-Key and returns the HTTP status to answer: the
    /// first answer for a replayed key, 422 for the same key with another body.</summary>
    public async Task<int> ReportAsync(string deviceId, string actionId, string idempotencyKey, string bodySha256, ActionStatusReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        return await store.Database.InTransactionAsync(async (s, ct) =>
        {
            long now = store.Time.GetUtcNow().ToUnixTimeMilliseconds();
            IdempotencyRecord? first = await FindKeyAsync(s, deviceId, idempotencyKey, ct).ConfigureAwait(false);
            if (first is not null)
            {
                return first.BodySha256 == bodySha256 ? first.HttpStatus : 422;
            }

            ActionRecord? action = await s.QueryFirstOrDefaultAsync($"SELECT {Columns} FROM actions WHERE action_id = @a", Read, ct, ("a", actionId)).ConfigureAwait(false);
            StatusOutcome outcome = ActionStatusPolicy.Decide(action, deviceId, report);
            if (outcome == StatusOutcome.Applied)
            {
                // Conditional on seq and openness, so two racing reports cannot both win or reopen a terminal action.
                int changed = await s.ExecuteAsync(
                    $"UPDATE actions SET status = @st, seq = @seq, updated_at = @now WHERE action_id = @a AND seq < @seq AND status IN ({ActionStatusNames.OpenList})", ct,
                    ("st", ActionStatusNames.Name(report.Status)), ("seq", report.Seq), ("now", now), ("a", actionId)).ConfigureAwait(false);
                if (changed == 1)
                {
                    await ActionWriter.AppendHistoryAsync(s, actionId, report, now, ct).ConfigureAwait(false);
                }
            }

            int status = ActionStatusPolicy.HttpStatus(outcome);
            // Keys are remembered for answers a retry may need (204, 410); a 404/400 is not worth a row.
            if (status is 204 or 410)
            {
                int inserted = await s.ExecuteAsync(
                    "INSERT INTO idempotency_keys (device_id, idem_key, body_sha256, http_status, created_at) VALUES (@d, @k, @h, @st, @now) "
                    + "ON CONFLICT (device_id, idem_key) DO NOTHING", ct,
                    ("d", deviceId), ("k", idempotencyKey), ("h", bodySha256), ("st", (long)status), ("now", now)).ConfigureAwait(false);
                if (inserted == 0)
                {
                    // A concurrent request with the same key committed first (PostgreSQL, READ COMMITTED): its answer wins.
                    IdempotencyRecord winner = (await FindKeyAsync(s, deviceId, idempotencyKey, ct).ConfigureAwait(false))!;
                    return winner.BodySha256 == bodySha256 ? winner.HttpStatus : 422;
                }
            }

            return status;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One action, or null.</summary>
    public async Task<ActionRecord?> GetAsync(string actionId, CancellationToken cancellationToken)
    {
        await using SqlSession s = await store.Database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        return await s.QueryFirstOrDefaultAsync($"SELECT {Columns} FROM actions WHERE action_id = @a", Read, cancellationToken, ("a", actionId)).ConfigureAwait(false);
    }

    /// <summary>The actions of a rollout in assignment order.</summary>
    public async Task<List<ActionRecord>> ListForRolloutAsync(string rolloutId, CancellationToken cancellationToken)
    {
        await using SqlSession s = await store.Database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        return await s.QueryAsync($"SELECT {Columns} FROM actions WHERE rollout_id = @r ORDER BY stage_index, is_revert, device_id", Read, cancellationToken, ("r", rolloutId)).ConfigureAwait(false);
    }

    /// <summary>An action's status history, oldest first.</summary>
    public async Task<List<ActionStatusReport>> HistoryAsync(string actionId, CancellationToken cancellationToken)
    {
        await using SqlSession s = await store.Database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        return await s.QueryAsync("SELECT body FROM action_statuses WHERE action_id = @a ORDER BY id",
            r => JsonSerializer.Deserialize(r.GetString(0), FleetJsonContext.Default.ActionStatusReport)!, cancellationToken, ("a", actionId)).ConfigureAwait(false);
    }

    internal static ActionRecord Read(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), (int)r.GetInt64(3), r.GetString(4), r.GetInt64(5) != 0,
        ActionStatusNames.Parse(r.GetString(6)), r.GetInt64(7),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)));

    private static Task<IdempotencyRecord?> FindKeyAsync(SqlSession s, string deviceId, string key, CancellationToken ct) =>
        s.QueryFirstOrDefaultAsync("SELECT idem_key, body_sha256, http_status FROM idempotency_keys WHERE device_id = @d AND idem_key = @k",
            r => new IdempotencyRecord(r.GetString(0), r.GetString(1), (int)r.GetInt64(2)), ct, ("d", deviceId), ("k", key));
}
