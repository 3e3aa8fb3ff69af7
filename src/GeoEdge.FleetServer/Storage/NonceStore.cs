namespace GeoEdge.FleetServer.Storage;

/// <summary>Request nonces seen per device within the signature skew window: a nonce seen twice is a replay.</summary>
/// <remarks>In the database rather than in memory so that a replayed request sent to another replica is caught too.</remarks>
public sealed class NonceStore
{
    private readonly FleetDatabase _database;
    private readonly TimeProvider _time;

    /// <summary>Creates the store over a migrated database.</summary>
    public NonceStore(FleetDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>Remembers <paramref name="nonce"/> for <paramref name="deviceId"/> until <paramref name="forget"/> from now;
    /// false when it was already remembered (a replay).</summary>
    public async Task<bool> TryRememberAsync(string deviceId, string nonce, TimeSpan forget, CancellationToken cancellationToken)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await using SqlSession session = await _database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        // Expired nonces go first, so a nonce older than the window (whose request the timestamp check refuses anyway)
        // does not count as a replay and the table stays the size of one window.
        await session.ExecuteAsync("DELETE FROM nonces WHERE expires_at <= @now", cancellationToken, ("now", now)).ConfigureAwait(false);
        int inserted = await session.ExecuteAsync(
            "INSERT INTO nonces (device_id, nonce, expires_at) VALUES (@d, @n, @e) ON CONFLICT (device_id, nonce) DO NOTHING",
            cancellationToken, ("d", deviceId), ("n", nonce), ("e", now + (long)forget.TotalMilliseconds)).ConfigureAwait(false);
        return inserted == 1;
    }
}
