using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace GeoEdge.FleetServer.Storage;

/// <summary>The fleet server's database (SQLite file or PostgreSQL), handing out sessions and transactions over one dialect.</summary>
public sealed class FleetDatabase : IAsyncDisposable
{
    /// <summary>The SQLite file name inside the server's data directory.</summary>
    public const string SqliteFileName = "fleet.db";

    private readonly Func<CancellationToken, Task<DbConnection>> _open;
    private readonly IAsyncDisposable? _owned;

    private FleetDatabase(SqlDialect dialect, Func<CancellationToken, Task<DbConnection>> open, IAsyncDisposable? owned, string description)
    {
        Dialect = dialect;
        _open = open;
        _owned = owned;
        Description = description;
    }

    /// <summary>The dialect every query of this database goes through.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>Where the data lives (file path or host/database), for logs; never the password.</summary>
    public string Description { get; }

    /// <summary>A SQLite database file (created if missing) in WAL mode with a busy timeout, so the HTTP handlers' short
    /// writes queue behind each other instead of failing with SQLITE_BUSY.</summary>
    public static FleetDatabase OpenSqlite(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(path),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        return new FleetDatabase(SqliteDialect.Instance, ct => OpenSqliteAsync(connectionString, ct), null, Path.GetFullPath(path));
    }

    /// <summary>A PostgreSQL database (Npgsql connection string); it must exist, the schema is created by the migrations.</summary>
    public static FleetDatabase OpenPostgres(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        NpgsqlDataSource source = NpgsqlDataSource.Create(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return new FleetDatabase(PostgresDialect.Instance, async ct => await source.OpenConnectionAsync(ct).ConfigureAwait(false), source,
            $"postgres://{builder.Host}:{builder.Port}/{builder.Database}");
    }

    /// <summary>A session without a transaction, for reads and single-statement writes; dispose it.</summary>
    public async Task<SqlSession> OpenSessionAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = await _open(cancellationToken).ConfigureAwait(false);
        return new SqlSession(Dialect, connection, null);
    }

    /// <summary>Runs <paramref name="work"/> in one transaction and commits it; any exception rolls everything back.</summary>
    /// <remarks>SQLite transactions begin IMMEDIATE (the write lock up front, so two read-then-write transactions cannot
    /// deadlock); PostgreSQL runs READ COMMITTED, so read-modify-write must be one conditional statement (as the stores do).</remarks>
    public async Task<T> InTransactionAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        DbConnection connection = await _open(cancellationToken).ConfigureAwait(false);
        DbTransaction transaction;
        try
        {
            transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await using var session = new SqlSession(Dialect, connection, transaction);
        T result = await work(session, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Runs <paramref name="work"/> in one transaction and commits it.</summary>
    public Task InTransactionAsync(Func<SqlSession, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return InTransactionAsync<bool>(async (session, ct) =>
        {
            await work(session, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    private static async Task<DbConnection> OpenSqliteAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using DbCommand pragmas = connection.CreateCommand();
            // WAL lets readers run beside the one writer; synchronous=FULL because an acknowledged write (a metrics ack,
            // an enrollment) must survive a power cut; foreign keys are off by default in SQLite.
            pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_owned is not null)
        {
            await _owned.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            // Pooled SQLite connections keep the file open (and its WAL); tests delete the directory afterwards.
            SqliteConnection.ClearAllPools();
        }
    }
}
