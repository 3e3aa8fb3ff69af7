using GeoEdge.FleetServer.Storage;

namespace GeoEdge.FleetServer.Tests.Storage;

/// <summary>The two databases every storage test runs against.</summary>
public enum Provider
{
    /// <summary>A SQLite file in a temp directory.</summary>
    Sqlite,

    /// <summary>A fresh database in the shared private PostgreSQL cluster.</summary>
    Postgres,
}

/// <summary>A fresh, empty database of one provider for one test; deleted (SQLite) or left to the cluster's end (PostgreSQL).</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _directory;
    private readonly string _connection;

    private TestDatabase(Provider provider, string connection, string? directory)
    {
        Provider = provider;
        _connection = connection;
        _directory = directory;
    }

    /// <summary>Which database.</summary>
    public Provider Provider { get; }

    /// <summary>Creates an empty database of <paramref name="provider"/>.</summary>
    public static async Task<TestDatabase> CreateAsync(Provider provider, PostgresCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (provider == Provider.Postgres)
        {
            return new TestDatabase(provider, await cluster.CreateDatabaseAsync(), null);
        }

        string directory = Path.Combine(Path.GetTempPath(), "geoedge-sqlite-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        return new TestDatabase(provider, Path.Combine(directory, FleetDatabase.SqliteFileName), directory);
    }

    /// <summary>A new (unmigrated) handle on the database; several handles act like several server replicas.</summary>
    public FleetDatabase Open() => Provider == Provider.Postgres ? FleetDatabase.OpenPostgres(_connection) : FleetDatabase.OpenSqlite(_connection);

    /// <summary>A migrated store over a new handle.</summary>
    public Task<FleetStore> OpenStoreAsync(TimeProvider time) => FleetStore.OpenAsync(Open(), time, CancellationToken.None);

    /// <summary>What to pass to the server options (SQLite file path or PostgreSQL connection string).</summary>
    public string Location => _connection;

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        if (_directory is not null && Directory.Exists(_directory))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
