namespace GeoEdge.FleetServer.Storage;

/// <summary>The fleet server's storage: one migrated database and the stores over it (what every other component takes).</summary>
public sealed class FleetStore : IAsyncDisposable
{
    private FleetStore(FleetDatabase database, TimeProvider time)
    {
        Database = database;
        Time = time;
        Devices = new DeviceStore(database, time);
        Leases = new LeaseStore(database, time);
        Nonces = new NonceStore(database, time);
        EnrollmentTokens = new EnrollmentTokenStore(database, time);
        OperatorTokens = new OperatorTokenStore(database, time);
        Models = new ModelVersionStore(database, time);
    }

    /// <summary>The database (dialect, sessions, transactions) for components that write their own SQL.</summary>
    public FleetDatabase Database { get; }

    /// <summary>The clock every stored time comes from.</summary>
    public TimeProvider Time { get; }

    /// <summary>Devices, desired and reported state.</summary>
    public DeviceStore Devices { get; }

    /// <summary>Cross-replica leases.</summary>
    public LeaseStore Leases { get; }

    /// <summary>Request-signature nonces.</summary>
    public NonceStore Nonces { get; }

    /// <summary>Enrollment tokens.</summary>
    public EnrollmentTokenStore EnrollmentTokens { get; }

    /// <summary>Operator bearer tokens.</summary>
    public OperatorTokenStore OperatorTokens { get; }

    /// <summary>Model versions and bundle blobs.</summary>
    public ModelVersionStore Models { get; }

    /// <summary>Migrates <paramref name="database"/> to this code's schema and opens the stores over it; owns the database.</summary>
    /// <exception cref="SchemaTooNewException">The database was migrated by a newer server.</exception>
    public static async Task<FleetStore> OpenAsync(FleetDatabase database, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        await SchemaMigrator.MigrateAsync(database, time, cancellationToken).ConfigureAwait(false);
        return new FleetStore(database, time);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
