using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace GeoEdge.IntegrationTests.Support;

/// <summary>A real `geoedge run` child process (<see cref="GeoEdgeProcess"/>: the built geoedge.dll, or the published
/// binary in GEOEDGE_BIN) on a device config enrolled in a fleet server; killable with SIGKILL.</summary>
internal static class DeviceProcess
{
    public static GeoEdgeProcess Start(DeviceConfig config) => GeoEdgeProcess.Start(["run", "--config", config.File]);
}

/// <summary>A device config for a temporary state directory: dev-x64's models and sample data (paths made absolute),
/// a diagnostics port of its own, and a fleet section pointing at <paramref name="serverUrl"/>.</summary>
internal sealed class DeviceConfig : IDisposable
{
    private DeviceConfig(string directory, string file, string hwId, int diagnosticsPort)
    {
        Directory = directory;
        File = file;
        HwId = hwId;
        Diagnostics = new Uri($"http://127.0.0.1:{diagnosticsPort}");
    }

    public string Directory { get; }

    public string File { get; }

    public string HwId { get; }

    public Uri Diagnostics { get; }

    public string StateDirectory => Path.Combine(Directory, "state");

    public string FleetState(params string[] parts) => Path.Combine([StateDirectory, "fleet", .. parts]);

    /// <param name="serverUrl">The device API the agent calls (fleet.serverUrl).</param>
    /// <param name="enrollmentToken">Used at the first start.</param>
    /// <param name="metricsWindowSeconds">fleet.metricsWindowSeconds.</param>
    /// <param name="rateHz">Replay rate of the sample sources.</param>
    /// <param name="enrollUrl">fleet.enrollUrl with fleet.useClientCertificate: the agent enrolls there and presents its
    /// certificate on <paramref name="serverUrl"/> (the mutual-TLS device port); null = enroll on serverUrl, sign only.</param>
    public static DeviceConfig Write(Uri serverUrl, string enrollmentToken, int metricsWindowSeconds = 60, int rateHz = 4, Uri? enrollUrl = null)
    {
        string dir = System.IO.Directory.CreateTempSubdirectory("geoedge-e2e-device-").FullName;
        JsonObject root = DevConfig.Load(Repository.Path("device-configs"), Path.Combine(dir, "state"), rateHz);
        foreach (JsonNode? pipeline in root["pipelines"]!.AsArray())
        {
            pipeline!["sinks"] = new JsonArray("events");
        }

        int port = FreePort();
        root["diagnostics"]!["url"] = $"http://127.0.0.1:{port}";
        string hwId = "e2e-" + Guid.NewGuid().ToString("N")[..12];
        var fleet = new JsonObject
        {
            ["serverUrl"] = serverUrl.ToString().TrimEnd('/'),
            ["enrollmentToken"] = enrollmentToken,
            ["hwId"] = hwId,
            ["pollSeconds"] = 1,
            ["metricsWindowSeconds"] = metricsWindowSeconds,
            ["attributes"] = new JsonObject { ["site"] = "e2e" },
        };
        if (enrollUrl is not null)
        {
            fleet["enrollUrl"] = enrollUrl.ToString().TrimEnd('/');
            fleet["useClientCertificate"] = true;
        }

        root["fleet"] = fleet;
        string file = Path.Combine(dir, "device.json");
        System.IO.File.WriteAllText(file, root.ToJsonString());
        return new DeviceConfig(dir, file, hwId, port);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
