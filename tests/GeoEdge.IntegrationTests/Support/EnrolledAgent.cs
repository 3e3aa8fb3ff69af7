using GeoEdge.Host.Fleet;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoEdge.IntegrationTests.Support;

/// <summary>The agent's own enrollment code (GeoEdge.Host.Fleet.DeviceEnrollment) run in this process against a real
/// server's API port, in a state directory of its own: the key, identity.json and the credentials loaded from them.</summary>
internal sealed class EnrolledAgent : IDisposable
{
    private EnrolledAgent(string directory, AgentFiles files, DeviceCredentials credentials)
    {
        Directory = directory;
        Files = files;
        Credentials = credentials;
    }

    public string Directory { get; }

    public AgentFiles Files { get; }

    public DeviceCredentials Credentials { get; }

    public string DeviceId => Credentials.DeviceId;

    public static async Task<EnrolledAgent> EnrollAsync(FleetServerHost server, string hwId)
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("geoedge-e2e-agent-").FullName;
        var files = new AgentFiles(directory);
        using var client = new FleetClient(server.App.ApiAddress!, FleetClient.CreateHandler(null, null), TimeProvider.System, Backoff.Default, NullLogger.Instance);
        DeviceCredentials credentials = await DeviceEnrollment.LoadOrEnrollAsync(files, client, hwId, await server.CreateEnrollmentTokenAsync(),
            new GeoEdge.Fleet.Contracts.DeviceIdentity("dev-x64", "9.9.9"), NullLogger.Instance, CancellationToken.None);
        return new EnrolledAgent(directory, files, credentials);
    }

    /// <summary>The stored credentials loaded again (a fresh key and certificate objects, owned by the caller).</summary>
    public DeviceCredentials Reload() => DeviceEnrollment.TryLoad(Files) ?? throw new InvalidOperationException($"{Files.Identity} is gone");

    /// <summary>The device's client for <paramref name="url"/> as the agent builds it (<see cref="FleetClient.ForDevice"/>:
    /// pinned to the fleet CA), retrying a failed connection after milliseconds rather than seconds.</summary>
    public static FleetClient Client(Uri url, DeviceCredentials credentials, bool presentCertificate) =>
        FleetClient.ForDevice(url, credentials, presentCertificate, TimeProvider.System, FastBackoff, NullLogger.Instance);

    private static Backoff FastBackoff { get; } = new(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), new Random(7));

    public void Dispose()
    {
        Credentials.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
