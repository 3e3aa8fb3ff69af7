namespace GeoEdge.Testing;

/// <summary>The cluster as an xunit collection fixture: a test cluster (no fsync) under a new temp directory, started
/// before the collection's first test and removed after its last.</summary>
public sealed partial class PostgresCluster : IAsyncLifetime
{
    /// <summary>The fixture's constructor (xunit wants exactly one public one); nothing starts until InitializeAsync.</summary>
    public PostgresCluster()
        : this(DefaultRoot(), durable: false, maxPoolSize: null)
    {
    }

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    private static string DefaultRoot() => Path.Combine(Path.GetTempPath(), "geoedge-pg-" + Guid.NewGuid().ToString("N")[..12]);
}

/// <summary>Test classes that need the PostgreSQL cluster share one through this collection.</summary>
[CollectionDefinition(Name)]
public sealed class DatabaseCollection : ICollectionFixture<PostgresCluster>
{
    /// <summary>The collection name.</summary>
    public const string Name = "databases";
}
