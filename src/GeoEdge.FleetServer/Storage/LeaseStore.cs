namespace GeoEdge.FleetServer.Storage;

/// <summary>Named, expiring leases so one replica at a time owns a piece of work (a rollout's evaluation) over a shared database.</summary>
/// <remarks>Acquire and renew are single conditional statements, so two replicas racing for the same lease cannot both
/// win; an owner that stops renewing loses the lease when it expires. Times come from the replica's TimeProvider, so the
/// replicas' clocks must roughly agree (keep the lease much longer than the expected skew).</remarks>
public sealed class LeaseStore
{
    private readonly FleetDatabase _database;
    private readonly TimeProvider _time;

    /// <summary>Creates the store over a migrated database.</summary>
    public LeaseStore(FleetDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>Takes lease <paramref name="name"/> for <paramref name="owner"/> for <paramref name="duration"/> when it is free,
    /// expired or already this owner's (then it is extended); false when another owner holds it.</summary>
    public async Task<bool> TryAcquireAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await using SqlSession session = await _database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        int changed = await session.ExecuteAsync(
            "INSERT INTO leases (name, owner, expires_at) VALUES (@n, @o, @e) "
            + "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at "
            + "WHERE leases.owner = excluded.owner OR leases.expires_at <= @now",
            cancellationToken, ("n", name), ("o", owner), ("e", now + (long)duration.TotalMilliseconds), ("now", now)).ConfigureAwait(false);
        return changed == 1;
    }

    /// <summary>Extends a lease this owner still holds (not expired); false when it was lost.</summary>
    public async Task<bool> RenewAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await using SqlSession session = await _database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        int changed = await session.ExecuteAsync(
            "UPDATE leases SET expires_at = @e WHERE name = @n AND owner = @o AND expires_at > @now",
            cancellationToken, ("e", now + (long)duration.TotalMilliseconds), ("n", name), ("o", owner), ("now", now)).ConfigureAwait(false);
        return changed == 1;
    }

    /// <summary>Gives a lease up (only when this owner holds it), so another replica need not wait for it to expire.</summary>
    public async Task ReleaseAsync(string name, string owner, CancellationToken cancellationToken)
    {
        await using SqlSession session = await _database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync("DELETE FROM leases WHERE name = @n AND owner = @o", cancellationToken, ("n", name), ("o", owner)).ConfigureAwait(false);
    }

    /// <summary>The current holder of a lease, or null when it is free or expired.</summary>
    public async Task<string?> HolderAsync(string name, CancellationToken cancellationToken)
    {
        await using SqlSession session = await _database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        return await session.QueryFirstOrDefaultAsync("SELECT owner FROM leases WHERE name = @n AND expires_at > @now", r => r.GetString(0),
            cancellationToken, ("n", name), ("now", _time.GetUtcNow().ToUnixTimeMilliseconds())).ConfigureAwait(false);
    }
}
