namespace GeoEdge.FleetServer.Storage;

/// <summary>Brings a database to the code's schema at start: each pending migration in its own transaction, recorded in
/// schema_migrations; refuses a database newer than the code.</summary>
public static class SchemaMigrator
{
    private const string CreateTable =
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

    /// <summary>Applies the pending migrations of <paramref name="migrations"/> (default: <see cref="MigrationCatalog.All"/>);
    /// returns how many it applied (0 when the schema is current).</summary>
    /// <exception cref="SchemaTooNewException">The database holds a version above the newest migration.</exception>
    public static async Task<int> MigrateAsync(FleetDatabase database, TimeProvider time, CancellationToken cancellationToken, IReadOnlyList<Migration>? migrations = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        migrations ??= MigrationCatalog.All;
        int latest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        int applied = 0;
        foreach (Migration migration in migrations)
        {
            bool ran = await database.InTransactionAsync(async (session, ct) =>
            {
                long current = await LockAndReadVersionAsync(session, ct).ConfigureAwait(false);
                if (current > latest)
                {
                    throw new SchemaTooNewException(database.Description, current, latest);
                }

                if (current >= migration.Version)
                {
                    return false;
                }

                foreach (string statement in Statements(session.Dialect.ExpandTypes(migration.Sql)))
                {
                    await session.ExecuteAsync(statement, ct).ConfigureAwait(false);
                }

                await session.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)", ct,
                    ("v", (long)migration.Version), ("n", migration.Name), ("t", time.GetUtcNow().ToUnixTimeMilliseconds())).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
            applied += ran ? 1 : 0;
        }

        if (applied == 0)
        {
            // Also checks the "too new" case when this code has nothing to apply.
            await database.InTransactionAsync(async (session, ct) =>
            {
                long current = await LockAndReadVersionAsync(session, ct).ConfigureAwait(false);
                if (current > latest)
                {
                    throw new SchemaTooNewException(database.Description, current, latest);
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        return applied;
    }

    /// <summary>The schema version the database is at (0 when never migrated).</summary>
    public static async Task<long> CurrentVersionAsync(FleetDatabase database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        return await database.InTransactionAsync((session, ct) => LockAndReadVersionAsync(session, ct), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<long> LockAndReadVersionAsync(SqlSession session, CancellationToken cancellationToken)
    {
        if (session.Dialect.MigrationLockSql is { } lockSql)
        {
            await session.ExecuteAsync(lockSql, cancellationToken).ConfigureAwait(false);
        }

        await session.ExecuteAsync(CreateTable, cancellationToken).ConfigureAwait(false);
        return await session.ScalarInt64Async("SELECT MAX(version) FROM schema_migrations", cancellationToken).ConfigureAwait(false) ?? 0;
    }

    /// <summary>Splits a script at semicolons that end a line (the migration files keep one statement per such block).</summary>
    internal static IEnumerable<string> Statements(string script)
    {
        foreach (string part in script.ReplaceLineEndings("\n").Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string statement = part.TrimEnd(';').Trim();
            if (statement.Length > 0 && !IsOnlyComments(statement))
            {
                yield return statement;
            }
        }
    }

    private static bool IsOnlyComments(string statement)
    {
        foreach (string line in statement.Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.Length > 0 && !trimmed.StartsWith("--", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
