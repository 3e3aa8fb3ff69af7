namespace GeoEdge.FleetServer.Storage;

/// <summary>Fleet-scoped, expiring, use-limited enrollment tokens, stored hashed.</summary>
public sealed class EnrollmentTokenStore
{
    private readonly FleetDatabase _database;
    private readonly TimeProvider _time;

    /// <summary>Creates the store over a migrated database.</summary>
    public EnrollmentTokenStore(FleetDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>Creates a token for <paramref name="fleet"/>; returns it with its secret, which is never shown again.</summary>
    public async Task<CreatedToken> CreateAsync(string fleet, TimeSpan lifetime, int maxUses, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(fleet);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxUses, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        string id = TokenHash.NewId();
        string secret = TokenHash.NewSecret("get_");
        DateTimeOffset expires = _time.GetUtcNow() + lifetime;
        await using SqlSession session = await _database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync(
            "INSERT INTO enrollment_tokens (token_id, token_hash, fleet, expires_at, max_uses, uses, created_at) VALUES (@id, @h, @f, @e, @m, 0, @now)",
            cancellationToken, ("id", id), ("h", TokenHash.Of(secret)), ("f", fleet), ("e", expires.ToUnixTimeMilliseconds()),
            ("m", (long)maxUses), ("now", _time.GetUtcNow().ToUnixTimeMilliseconds())).ConfigureAwait(false);
        return new CreatedToken(id, secret, fleet, expires, maxUses);
    }

    /// <summary>Uses the token once inside the enrollment's transaction; returns its fleet or why it was refused.</summary>
    public async Task<TokenRedemption> RedeemAsync(SqlSession session, string secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        string hash = TokenHash.Of(secret);
        // The conditional update is the decision (two devices racing for the last use cannot both get it); the read after
        // only explains a refusal.
        string? fleet = await session.QueryFirstOrDefaultAsync(
            "UPDATE enrollment_tokens SET uses = uses + 1 WHERE token_hash = @h AND expires_at > @now AND uses < max_uses RETURNING fleet",
            r => r.GetString(0), cancellationToken, ("h", hash), ("now", now)).ConfigureAwait(false);
        if (fleet is not null)
        {
            return new TokenRedemption(fleet, null);
        }

        TokenRedemption? refusal = await session.QueryFirstOrDefaultAsync(
            "SELECT expires_at, uses, max_uses FROM enrollment_tokens WHERE token_hash = @h",
            r => new TokenRedemption(null, r.GetInt64(0) <= now ? "enrollment token expired" : "enrollment token has no uses left"),
            cancellationToken, ("h", hash)).ConfigureAwait(false);
        return refusal ?? new TokenRedemption(null, "unknown enrollment token");
    }
}

/// <summary>A token just created: its secret is shown to the operator once.</summary>
/// <param name="Id">Id for listing.</param>
/// <param name="Secret">The token itself.</param>
/// <param name="Fleet">Its fleet (operator tokens: the role).</param>
/// <param name="ExpiresAt">Expiry (operator tokens: never, MaxValue).</param>
/// <param name="MaxUses">Uses allowed (operator tokens: 0 = unlimited).</param>
public sealed record CreatedToken(string Id, string Secret, string Fleet, DateTimeOffset ExpiresAt, int MaxUses);

/// <summary>The outcome of redeeming an enrollment token: its fleet, or the reason it was refused.</summary>
/// <param name="Fleet">The token's fleet when accepted.</param>
/// <param name="Refusal">Why not, when refused.</param>
public sealed record TokenRedemption(string? Fleet, string? Refusal);
