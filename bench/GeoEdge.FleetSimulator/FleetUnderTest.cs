using GeoEdge.FleetServer.Server;
using GeoEdge.Testing;
using Microsoft.Extensions.Logging;

namespace GeoEdge.FleetSimulator;

/// <summary>The real fleet server (FleetServerApp) on 127.0.0.1 over SQLite in its data directory or PostgreSQL (a given
/// database or a private cluster), with the poll interval shortened for the bench.</summary>
internal sealed class FleetUnderTest : IAsyncDisposable
{
    private readonly PostgresCluster? _cluster;

    private FleetUnderTest(FleetServerApp app, PostgresCluster? cluster, string database)
    {
        App = app;
        _cluster = cluster;
        Database = database;
    }

    public FleetServerApp App { get; }

    /// <summary>"sqlite FILE" or "postgres HOST:PORT/DB" (for the report).</summary>
    public string Database { get; }

    public Uri Url => App.ApiAddress!;

    public string AdminToken => App.BootstrapAdminToken ?? throw new InvalidOperationException("the server's database was not fresh: no bootstrap admin token");

    public static async Task<FleetUnderTest> StartAsync(SimulatorOptions options, string root, string trustedKey, ConsoleWarnings log)
    {
        PostgresCluster? cluster = null;
        string? connection = options.PostgresConnectionString;
        if (options.Db == "postgres" && connection is null)
        {
            // Durable (fsync on) and a pool sized for the server's handlers: the bench measures what a deployment pays.
            cluster = await PostgresCluster.StartAsync(Path.Combine(root, "pg"), durable: true, maxPoolSize: 90).ConfigureAwait(false);
            connection = await cluster.CreateDatabaseAsync("fleet").ConfigureAwait(false);
        }

        var server = new FleetServerOptions
        {
            DataDirectory = Path.Combine(root, "server"),
            PostgresConnectionString = connection,
            Urls = "http://127.0.0.1:0",
            TrustedKeyFiles = [trustedKey],
            PollAfterSeconds = options.PollSeconds,
            // The agent jitters ±10 %: half the interval leaves room, and a device retrying too fast still meets the 429.
            MinPollIntervalSeconds = options.PollSeconds / 2,
            OfflineAfterSeconds = Math.Max(60, options.PollSeconds * 4),
        };
        FleetServerApp app = await FleetServerApp.CreateAsync(server, logging: b => b.AddProvider(log)).ConfigureAwait(false);
        await app.StartAsync().ConfigureAwait(false);
        string database = connection is null ? "sqlite " + Path.Combine(server.DataDirectory, "fleet.db") : "postgres " + app.Store.Database.Description;
        return new FleetUnderTest(app, cluster, database);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync().ConfigureAwait(false);
        }
    }
}
