using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Actions;
using GeoEdge.FleetServer.Metrics;
using GeoEdge.FleetServer.Server;
using GeoEdge.FleetServer.Storage;
using GeoEdge.FleetServer.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GeoEdge.IntegrationTests.Support;

/// <summary>The real fleet server (FleetServerApp) in this process on 127.0.0.1:0, over SQLite in a temp data directory
/// or a fresh PostgreSQL database; it can be stopped and started again over the same data (a new port each time).</summary>
internal sealed class FleetServerHost : IAsyncDisposable
{
    private readonly FleetServerOptions _options;
    private readonly TestDatabase? _postgres;
    private readonly LogCollector _log;
    private FleetServerApp? _app;

    private FleetServerHost(FleetServerOptions options, TestDatabase? postgres, string adminToken, FleetServerApp app, LogCollector log)
    {
        _log = log;
        _options = options;
        _postgres = postgres;
        _app = app;
        AdminToken = adminToken;
    }

    /// <summary>The bootstrap admin token of the first start (stays valid across restarts: it is in the database).</summary>
    public string AdminToken { get; }

    public FleetServerApp App => _app ?? throw new InvalidOperationException("the fleet server is stopped");

    public bool Running => _app is not null;

    public string DataDirectory => _options.DataDirectory;

    /// <summary>The server's warnings and errors so far (all starts).</summary>
    public string Log => _log.Text;

    /// <summary>Starts a server over a new database of <paramref name="provider"/>; <paramref name="trustedKeys"/> are the
    /// public keys uploads must be signed with; <paramref name="devicePort"/> adds the mutual-TLS device port
    /// (https://127.0.0.1:0, <see cref="FleetServerApp.DeviceAddress"/>).</summary>
    public static async Task<FleetServerHost> StartAsync(Provider provider, PostgresCluster? cluster, string[] trustedKeys, bool devicePort = false)
    {
        TestDatabase? postgres = provider == Provider.Postgres
            ? await TestDatabase.CreateAsync(provider, cluster ?? throw new ArgumentNullException(nameof(cluster)))
            : null;
        var options = new FleetServerOptions
        {
            DataDirectory = Directory.CreateTempSubdirectory("geoedge-e2e-fleet-").FullName,
            PostgresConnectionString = postgres?.Location,
            Urls = "http://127.0.0.1:0",
            DeviceUrl = devicePort ? "https://127.0.0.1:0" : null,
            TrustedKeyFiles = [.. trustedKeys],
            PollAfterSeconds = 1, // devices poll every second: a scenario takes seconds, not minutes
            MinPollIntervalSeconds = 0,
        };
        var log = new LogCollector();
        FleetServerApp app = await CreateAsync(options, log);
        return new FleetServerHost(options, postgres, app.BootstrapAdminToken!, app, log);
    }

    /// <summary>Stops the server (its listener and its storage handle); the data stays.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>Starts a new server over the same data directory and database (as a restarted process would).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        _app = await CreateAsync(_options, _log);
    }

    /// <summary>A client of the operator API with the admin token.</summary>
    public HttpClient Admin()
    {
        var client = new HttpClient { BaseAddress = App.ApiAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    /// <summary>A fleet enrollment token made through POST /v1/enrollment-tokens.</summary>
    public async Task<string> CreateEnrollmentTokenAsync(int maxUses = 1)
    {
        using HttpClient admin = Admin();
        HttpResponseMessage response = await admin.PostAsJsonAsync("/v1/enrollment-tokens", new EnrollmentTokenRequest("e2e", 60, maxUses),
            ServerJsonContext.Default.EnrollmentTokenRequest);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(ServerJsonContext.Default.EnrollmentTokenResponse))!.Token;
    }

    /// <summary>POST /v1/models with a .geob; returns the registry's record (201 new, 200 same bytes again).</summary>
    public async Task<ModelVersionInfo> UploadAsync(string geob)
    {
        using HttpClient admin = Admin();
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(geob));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        HttpResponseMessage response = await admin.PostAsync("/v1/models", content);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"upload of {geob}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{Log}");
        return (await response.Content.ReadFromJsonAsync(FleetJsonContext.Default.ModelVersionInfo))!;
    }

    /// <summary>POST /v1/rollouts; returns the created rollout.</summary>
    public async Task<RolloutView> CreateRolloutAsync(RolloutRequest request)
    {
        using HttpClient admin = Admin();
        HttpResponseMessage response = await admin.PostAsJsonAsync("/v1/rollouts", request, FleetJsonContext.Default.RolloutRequest);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /v1/rollouts: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{Log}");
        return (await response.Content.ReadFromJsonAsync(FleetJsonContext.Default.RolloutView))!;
    }

    public async Task<RolloutView> RolloutAsync(string id)
    {
        using HttpClient admin = Admin();
        return (await admin.GetFromJsonAsync($"/v1/rollouts/{id}", FleetJsonContext.Default.RolloutView))!;
    }

    public async Task<IReadOnlyList<DeviceView>> DevicesAsync()
    {
        using HttpClient admin = Admin();
        return (await admin.GetFromJsonAsync("/v1/devices", FleetJsonContext.Default.IReadOnlyListDeviceView))!;
    }

    public async Task<DeviceView?> DeviceByHwIdAsync(string hwId)
    {
        foreach (DeviceView device in await DevicesAsync())
        {
            if (device.HwId == hwId)
            {
                return device;
            }
        }

        return null;
    }

    /// <summary>The statuses the server stored for an action, oldest first.</summary>
    public Task<List<ActionStatusReport>> ActionHistoryAsync(string actionId) => new ActionStore(App.Store).HistoryAsync(actionId, CancellationToken.None);

    /// <summary>The device's actions in a rollout.</summary>
    public Task<List<ActionRecord>> ActionsAsync(string rolloutId) => new ActionStore(App.Store).ListForRolloutAsync(rolloutId, CancellationToken.None);

    /// <summary>Requests this server process answered, by route template, method and status.</summary>
    public long Requests(string route, string method, int status)
    {
        long n = 0;
        foreach (KeyValuePair<RequestKey, long> series in App.Services.GetRequiredService<RequestCounter>().Snapshot())
        {
            if (series.Key.Route == route && series.Key.Method == method && series.Key.Status == status)
            {
                n += series.Value;
            }
        }

        return n;
    }

    /// <summary>The metric windows stored for a device: (epoch, seq, how many rows carry that key, the window).</summary>
    public async Task<List<StoredWindow>> StoredWindowsAsync(string deviceId)
    {
        await using SqlSession s = await App.Store.Database.OpenSessionAsync(CancellationToken.None);
        // GROUP BY counts the rows per key: the unique constraint says 1, the test checks it rather than trusts it.
        return await s.QueryAsync(
            "SELECT epoch, seq, COUNT(*), MIN(body) FROM metric_windows WHERE device_id = @d GROUP BY epoch, seq ORDER BY epoch, seq",
            r => new StoredWindow(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2),
                System.Text.Json.JsonSerializer.Deserialize(r.GetString(3), FleetJsonContext.Default.MetricsWindow)!),
            CancellationToken.None, ("d", deviceId));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        Directory.Delete(_options.DataDirectory, recursive: true);
    }

    private static async Task<FleetServerApp> CreateAsync(FleetServerOptions options, LogCollector log)
    {
        FleetServerApp app = await FleetServerApp.CreateAsync(options, logging: l => l.AddProvider(log));
        await app.StartAsync();
        return app;
    }
}

/// <summary>One (device, epoch, seq) key of metric_windows, with how many rows carry it.</summary>
internal sealed record StoredWindow(long Epoch, long Seq, long Rows, MetricsWindow Window);
