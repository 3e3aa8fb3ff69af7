using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace GeoEdge.FleetServer.Storage;

/// <summary>SQLite: the embedded default (a file in the server's data directory, WAL, busy timeout).</summary>
public sealed class SqliteDialect : SqlDialect
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    /// <summary>The one instance.</summary>
    public static SqliteDialect Instance { get; } = new();

    private SqliteDialect()
    {
    }

    /// <inheritdoc/>
    public override string Name => "sqlite";

    /// <inheritdoc/>
    public override string BlobType => "BLOB";

    /// <inheritdoc/>
    public override string IdentityPrimaryKey => "INTEGER PRIMARY KEY AUTOINCREMENT";

    /// <inheritdoc/>
    /// <remarks>Write transactions begin IMMEDIATE (Microsoft.Data.Sqlite's default), which already takes the database's one write lock.</remarks>
    public override string? MigrationLockSql => null;

    /// <inheritdoc/>
    public override bool IsUniqueViolation(DbException exception) => exception is SqliteException
    {
        SqliteErrorCode: SqliteConstraint,
        SqliteExtendedErrorCode: SqliteConstraintPrimaryKey or SqliteConstraintUnique,
    };
}
