using System.Security.Cryptography;
using GeoEdge.Host.Fleet;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoEdge.Host.Tests.Fleet;

/// <summary>A temp state directory, a <see cref="FakeFleetServer"/> and a device key enrolled there as "dev-1": what
/// every agent test starts from. The client records the delays it would wait instead of sleeping.</summary>
internal sealed class FleetFixture : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();

    private FleetFixture(FakeFleetServer server)
    {
        Server = server;
        Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        server.DeviceKey = Key;
        Files = new AgentFiles(StateDirectory);
        Client = NewClient(server.Address);
    }

    public FakeFleetServer Server { get; }

    public ECDsa Key { get; }

    public string StateDirectory => _dir.File("state");

    public string Scratch => _dir.Path;

    public AgentFiles Files { get; }

    public FleetClient Client { get; }

    public List<TimeSpan> Delays { get; } = [];

    public static async Task<FleetFixture> StartAsync() => new(await FakeFleetServer.StartAsync());

    /// <summary>A client for this device (a fresh one is what a restarted process has).</summary>
    public FleetClient NewClient(Uri server, int maxAttempts = 4)
    {
        var client = new FleetClient(server, new SocketsHttpHandler(), TimeProvider.System, new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(7)), NullLogger.Instance)
        {
            Credentials = new DeviceCredentials("dev-1", ECDsa.Create(Key.ExportParameters(true)), null, null),
            MaxAttempts = maxAttempts,
        };
        client.Delay = (delay, _) =>
        {
            lock (Delays)
            {
                Delays.Add(delay);
            }

            return Task.CompletedTask;
        };
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Key.Dispose();
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
