using GeoEdge.FleetServer.Identity;

namespace GeoEdge.FleetServer.Storage;

/// <summary>Operator bearer tokens with their role, stored hashed.</summary>
public sealed class OperatorTokenStore
{
    private readonly FleetDatabase _database;
    private readonly TimeProvider _time;

    /// <summary>Creates the store over a migrated database.</summary>
    public OperatorTokenStore(FleetDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>Creates a token; returns (id, secret); the secret is never shown again.</summary>
    public async Task<(string Id, string Secret)> CreateAsync(string name, OperatorRole role, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        string id = TokenHash.NewId();
        string secret = TokenHash.NewSecret("gop_");
        await using SqlSession session = await _database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync("INSERT INTO operator_tokens (token_id, token_hash, name, role, created_at) VALUES (@id, @h, @n, @r, @now)",
            cancellationToken, ("id", id), ("h", TokenHash.Of(secret)), ("n", name), ("r", OperatorRoles.Name(role)),
            ("now", _time.GetUtcNow().ToUnixTimeMilliseconds())).ConfigureAwait(false);
        return (id, secret);
    }

    /// <summary>The role of a presented bearer secret, or null when it is no token of ours.</summary>
    public async Task<OperatorRole?> FindRoleAsync(string secret, CancellationToken cancellationToken)
    {
        await using SqlSession session = await _database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        string? name = await session.QueryFirstOrDefaultAsync("SELECT role FROM operator_tokens WHERE token_hash = @h", r => r.GetString(0),
            cancellationToken, ("h", TokenHash.Of(secret))).ConfigureAwait(false);
        return OperatorRoles.TryParse(name, out OperatorRole role) ? role : null;
    }

    /// <summary>How many operator tokens exist (0 on a fresh server: the admin bootstrap token is due).</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using SqlSession session = await _database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        return await session.ScalarInt64Async("SELECT COUNT(*) FROM operator_tokens", cancellationToken).ConfigureAwait(false) ?? 0;
    }
}
