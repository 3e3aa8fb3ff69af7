using System.Text.Json.Nodes;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Storage;
using GeoEdge.FleetServer.Tests.Storage;

namespace GeoEdge.IntegrationTests.Support;

/// <summary>One scenario's parts: the in-process fleet server, the proxy the device talks through, a scratch directory,
/// and the device (config + geoedge process, restartable over the same state directory).</summary>
internal sealed class FleetScenario : IAsyncDisposable
{
    private readonly HttpClient _diagnostics = new();

    private FleetScenario(FleetServerHost server, FaultProxy proxy, string scratch)
    {
        Server = server;
        Proxy = proxy;
        Scratch = scratch;
    }

    public const string Model = "shapes-dgcnn";

    public FleetServerHost Server { get; }

    public FaultProxy Proxy { get; }

    public string Scratch { get; }

    public DeviceConfig? Config { get; private set; }

    public GeoEdgeProcess? Device { get; private set; }

    /// <summary>Starts the server (uploads signed by the dev key and <paramref name="moreTrustedKeys"/>; with the mutual-TLS
    /// device port when <paramref name="devicePort"/>) and the proxy in front of its API port.</summary>
    public static async Task<FleetScenario> StartAsync(Provider provider = Provider.Sqlite, PostgresCluster? cluster = null, bool devicePort = false, params string[] moreTrustedKeys)
    {
        FleetServerHost server = await FleetServerHost.StartAsync(provider, cluster, [Bundles.DevPublicKey, .. moreTrustedKeys], devicePort);
        FaultProxy proxy = await FaultProxy.StartAsync(server.App.ApiAddress);
        return new FleetScenario(server, proxy, Directory.CreateTempSubdirectory("geoedge-e2e-").FullName);
    }

    /// <summary>Writes the device config (enrollment token made through the API) and starts geoedge. The device calls the
    /// proxy; with <paramref name="mutualTls"/> it enrolls through the proxy and then calls the server's device port
    /// directly, presenting its certificate (so the proxy sees the enrollment and nothing else).</summary>
    public async Task<GeoEdgeProcess> StartDeviceAsync(int metricsWindowSeconds = 60, bool mutualTls = false)
    {
        string token = Config is null ? await Server.CreateEnrollmentTokenAsync() : string.Empty;
        Config ??= mutualTls
            ? DeviceConfig.Write(Server.App.DeviceAddress ?? throw new InvalidOperationException("the server has no device port"), token, metricsWindowSeconds, enrollUrl: Proxy.Address)
            : DeviceConfig.Write(Proxy.Address, token, metricsWindowSeconds);
        return RestartDevice();
    }

    /// <summary>Starts geoedge again over the same config and state directory (after a kill).</summary>
    public GeoEdgeProcess RestartDevice()
    {
        Device?.Dispose();
        Device = DeviceProcess.Start(Config ?? throw new InvalidOperationException("no device config yet"));
        return Device;
    }

    /// <summary>Stops the server, lets the device meet a dead link, and starts it again over the same data.</summary>
    public async Task RestartServerAsync(Func<Task>? whileDown = null)
    {
        Proxy.Upstream = null;
        await Server.StopAsync();
        if (whileDown is not null)
        {
            await whileDown();
        }

        await Server.RestartAsync();
        Proxy.Upstream = Server.App.ApiAddress;
    }

    /// <summary>Waits until the device enrolled (it is in the device list) and returns its id.</summary>
    public Task<string> WaitForEnrollmentAsync() =>
        Eventually.ValueAsync("device enrolled", async () =>
            await Server.DeviceByHwIdAsync(Config!.HwId) is { } d ? (true, d.DeviceId, "") : (false, "", DeviceOutput()));

    /// <summary>Waits until the device's reported state names <paramref name="version"/> active for the model.</summary>
    public Task<DeviceRecord> WaitForReportedActiveAsync(string deviceId, string version, Func<DeviceRecord, bool>? and = null) =>
        Eventually.ValueAsync($"device reports {Model} {version} active", async () =>
        {
            DeviceRecord? record = await Server.App.Store.Devices.GetAsync(deviceId, CancellationToken.None);
            bool done = record?.Reported is { } r && r.Models.Any(m => m.Model == Model && m.Active?.Version == version) && (and is null || and(record));
            return (done, record!, $"{(record?.Reported is null ? "no report" : System.Text.Json.JsonSerializer.Serialize(record.Reported, FleetJsonContext.Default.ReportedState))}\n{DeviceOutput()}");
        });

    public Task<RolloutView> WaitForRolloutAsync(string rolloutId, string state) =>
        Eventually.ValueAsync($"rollout {rolloutId} {state}", async () =>
        {
            RolloutView view = await Server.RolloutAsync(rolloutId);
            return (view.State == state, view, $"{view.State} {string.Join(", ", view.Stages.Select(s => $"{s.Name}:{s.State}:{string.Join('/', s.ByStatus.Select(p => $"{p.Key}={p.Value}"))}"))}\n{DeviceOutput()}");
        });

    /// <summary>GET /api/v1/status on the device's diagnostics endpoint.</summary>
    public async Task<JsonObject> DeviceStatusAsync() =>
        JsonNode.Parse(await _diagnostics.GetStringAsync(new Uri(Config!.Diagnostics, "/api/v1/status")))!.AsObject();

    /// <summary>The model's active version and the version its pipeline runs, from the device's diagnostics status.</summary>
    public async Task<(string? Active, string? Serving)> DeviceServesAsync()
    {
        JsonObject status = await DeviceStatusAsync();
        string? active = status["models"]!.AsArray().FirstOrDefault(m => m!["name"]!.GetValue<string>() == Model)?["active"]?.GetValue<string>();
        string? serving = status["pipelines"]!.AsArray().FirstOrDefault(p => p!["model"]!.GetValue<string>() == Model)?["version"]?.GetValue<string>();
        return (active, serving);
    }

    /// <summary>One stage, all (100 %) of the one device, judged at once (no bake).</summary>
    public static RolloutRequest OneStage(string deviceId, string toVersion, double errorPct = 0) =>
        new(Model, "1.0.0", toVersion, new TargetSelector(DeviceIds: [deviceId]),
            [new StageSpec("all", 100, null, MinDevices: 1, BakeMinutes: 0, SuccessPct: 100, ErrorPct: errorPct, OnSuccess: "next", InProgressTimeoutMinutes: 30)]);

    public string DeviceOutput() => (Device is null ? "(no device)" : "device output:\n" + Tail(Device.Output, 4000)) + "\nserver log:\n" + Tail(Server.Log, 3000);

    public async ValueTask DisposeAsync()
    {
        Device?.Dispose();
        _diagnostics.Dispose();
        await Proxy.DisposeAsync();
        await Server.DisposeAsync();
        Config?.Dispose();
        Directory.Delete(Scratch, recursive: true);
    }

    private static string Tail(string text, int chars) => text.Length <= chars ? text : text[^chars..];
}
