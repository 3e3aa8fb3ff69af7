using System.Net.Http.Headers;
using GeoEdge.FleetServer.Server;
using GeoEdge.FleetServer.Tests.Storage;
using Microsoft.Extensions.Time.Testing;

namespace GeoEdge.FleetServer.Tests.Support;

/// <summary>A real fleet server on 127.0.0.1 (API port and mutual-TLS device port, both port 0) over a fresh database of
/// one provider, with a fake clock the tests move, and an admin HttpClient.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly string _data;

    private TestServer(TestDatabase database, string data, FleetServerApp app, FakeTimeProvider time)
    {
        _database = database;
        _data = data;
        App = app;
        Time = time;
        Api = new HttpClient { BaseAddress = app.ApiAddress };
        Admin = new HttpClient { BaseAddress = app.ApiAddress };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.BootstrapAdminToken);
    }

    public FleetServerApp App { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>An unauthenticated client of the API port.</summary>
    public HttpClient Api { get; }

    /// <summary>A client of the API port with the bootstrap admin token.</summary>
    public HttpClient Admin { get; }

    public string DataDirectory => _data;

    public static async Task<TestServer> StartAsync(Provider provider, PostgresCluster cluster, Action<FleetServerOptions>? configure = null)
    {
        TestDatabase database = await TestDatabase.CreateAsync(provider, cluster);
        string data = Directory.CreateTempSubdirectory("geoedge-fleet-test-").FullName;
        var options = new FleetServerOptions
        {
            DataDirectory = data,
            PostgresConnectionString = provider == Provider.Postgres ? database.Location : null,
            Urls = "http://127.0.0.1:0",
            DeviceUrl = "https://127.0.0.1:0",
            TrustedKeyFiles = [TestBundles.DevPublicKey],
            MinPollIntervalSeconds = 0,
        };
        configure?.Invoke(options);
        // The fake clock starts at the real time (whole milliseconds, as stored): TLS checks certificates against the real clock.
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        // FLEET_TEST_LOG=1 shows the server's log when a test needs explaining.
        FleetServerApp app = await FleetServerApp.CreateAsync(options, time, logging: b =>
        {
            if (Environment.GetEnvironmentVariable("FLEET_TEST_LOG") == "1")
            {
                Microsoft.Extensions.Logging.ConsoleLoggerExtensions.AddConsole(b);
            }
        });
        await app.StartAsync();
        return new TestServer(database, data, app, time);
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        Admin.Dispose();
        try
        {
            await App.DisposeAsync();
            await _database.DisposeAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_data, recursive: true);
        }
    }
}
