using System.Data.Common;

namespace GeoEdge.FleetServer.Storage;

/// <summary>What differs between the two databases the fleet server runs on; every query is written once against this seam.</summary>
/// <remarks>Both SQLite (3.35+) and PostgreSQL understand <c>@name</c> parameters, <c>INSERT .. ON CONFLICT (..) DO NOTHING /
/// DO UPDATE SET x = excluded.x</c> and <c>RETURNING</c>, so queries share their text; what is left here are column types
/// (expanded from <c>{{token}}</c>s in migrations), the cross-replica migration lock and the error codes. Timestamps are
/// stored as BIGINT Unix milliseconds from the server's <see cref="TimeProvider"/>, never the database's now(), so tests
/// control time and both databases compare the same integers.</remarks>
public abstract class SqlDialect
{
    /// <summary>"sqlite" or "postgres".</summary>
    public abstract string Name { get; }

    /// <summary>The column type for raw bytes ({{blob}} in migrations).</summary>
    public abstract string BlobType { get; }

    /// <summary>An auto-increment 64-bit primary key column definition ({{identity}} in migrations).</summary>
    public abstract string IdentityPrimaryKey { get; }

    /// <summary>SQL that serializes schema migration across replicas inside a transaction, or null when the transaction already does.</summary>
    public abstract string? MigrationLockSql { get; }

    /// <summary>True when <paramref name="exception"/> is a unique or primary-key violation.</summary>
    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>Replaces the type tokens of a migration script with this database's types.</summary>
    public string ExpandTypes(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return sql.Replace("{{blob}}", BlobType, StringComparison.Ordinal)
            .Replace("{{identity}}", IdentityPrimaryKey, StringComparison.Ordinal);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
