using System.Net.Http.Headers;
using GeoEdge.Host.Diagnostics;
using GeoEdge.Host.Events;
using GeoEdge.Host.Metrics;
using GeoEdge.Host.Models;
using GeoEdge.Host.Service;
using GeoEdge.Host.Tests.Models;
using Microsoft.Extensions.Time.Testing;

namespace GeoEdge.Host.Tests.Diagnostics;

/// <summary>A real diagnostics server on 127.0.0.1 (port 0), its state directory, and an HttpClient pointed at it.</summary>
/// <remarks>The model routes go through the service's real adapter over a real <see cref="ModelStore"/>: the caller's
/// (which the caller disposes) or an empty one in the harness's directory.</remarks>
internal sealed class DiagnosticsHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();
    private ModelStore? _ownStore;

    private DiagnosticsHarness()
    {
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public SettableDeviceState State { get; } = new();

    public IModelControl Models { get; private set; } = null!;

    public MetricsRegistry Metrics { get; private set; } = null!;

    public EventRing Events { get; } = new(capacity: 16);

    public DiagnosticsToken Token { get; private set; } = null!;

    public string StateDirectory => _dir.Path;

    public DiagnosticsServer Server { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public Uri Address => Server.Address!;

    public static async Task<DiagnosticsHarness> StartAsync(IInferenceGateway? inference = null, long maxBodyBytes = 1024 * 1024, ModelStore? store = null)
    {
        var h = new DiagnosticsHarness();
        h.Metrics = new MetricsRegistry(new ProcessSampler(h._dir.File("no-thermal"), h._dir.File("no-status")));
        if (store is null)
        {
            h._ownStore = StoreFixtures.NewStore(h._dir.File("state"));
            store = h._ownStore;
        }

        h.Models = new StoreModelControl(store, h.Metrics, h.Events, h.Time);
        h.Token = DiagnosticsToken.LoadOrCreate(h._dir.File("diagnostics.token"));
        h.State.Current = new DeviceSnapshot(
            "bench-01",
            new BoardInfo("dev-x64", "x64", "none", "CI box"),
            Start,
            "cpu",
            [new PipelineHeartbeat("shapes", "shapes-dgcnn", "1.0.0", Start, TimeSpan.FromMilliseconds(500))],
            [new ModelState("shapes-dgcnn", true, "1.0.0", null)]);
        var options = new DiagnosticsOptions { Url = "http://127.0.0.1:0", MaxBodyBytes = maxBodyBytes, HeartbeatInterval = TimeSpan.FromSeconds(15) };
        var services = new DiagnosticsServices(h.State, h.Models, inference ?? new NoModelGateway(), h.Metrics, h.Events, h.Token, options, h.Time);
        h.Server = DiagnosticsServer.Create(services);
        await h.Server.StartAsync();
        h.Client = new HttpClient { BaseAddress = h.Server.Address, Timeout = TimeSpan.FromSeconds(60) };
        return h;
    }

    public string TokenText => File.ReadAllText(Token.Path).Trim();

    public HttpRequestMessage Authorized(HttpMethod method, string path, string? token = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? TokenText);
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        _ownStore?.Dispose();
        _dir.Dispose();
    }
}
