using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace GeoEdge.IntegrationTests.Support;

/// <summary>A real `geoedge run` child process (the built geoedge.dll beside the tests, through dotnet, as
/// GeoEdge.Host.Tests' ServiceProcess starts it) on a device config enrolled in a fleet server; killable with SIGKILL.</summary>
internal sealed class DeviceProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private DeviceProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => string.Join('\n', _lines);

    public bool HasExited => _process.HasExited;

    public static DeviceProcess Start(DeviceConfig config)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "geoedge.dll");
        if (!File.Exists(Path.Combine(AppContext.BaseDirectory, "geoedge.runtimeconfig.json")))
        {
            throw new FileNotFoundException($"geoedge.dll with its runtimeconfig is not beside the tests in {AppContext.BaseDirectory}");
        }

        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])[dll, "run", "--config", config.File])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("WATCHDOG_PID");
        return new DeviceProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start geoedge"));
    }

    /// <summary>SIGKILL: no shutdown code runs (a power cut, the OOM killer); waits until the process is gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
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

    public static DeviceConfig Write(Uri serverUrl, string enrollmentToken, int metricsWindowSeconds = 60, int rateHz = 4)
    {
        string dir = System.IO.Directory.CreateTempSubdirectory("geoedge-e2e-device-").FullName;
        string configs = Repository.Path("device-configs");
        JsonObject root = JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(configs, "dev-x64.json")))!.AsObject();
        root["stateDirectory"] = Path.Combine(dir, "state");
        root["trustedKeys"] = new JsonArray(Repository.Path("models/dev-keys/geoedge-dev.pub.pem"));
        foreach (JsonNode? model in root["models"]!.AsArray())
        {
            model!["bundle"] = Path.GetFullPath(Path.Combine(configs, model["bundle"]!.GetValue<string>()));
        }

        foreach (JsonNode? pipeline in root["pipelines"]!.AsArray())
        {
            JsonNode source = pipeline!["source"]!;
            source["path"] = Path.GetFullPath(Path.Combine(configs, source["path"]!.GetValue<string>()));
            source["rateHz"] = rateHz;
            pipeline["sinks"] = new JsonArray("events");
        }

        int port = FreePort();
        root["diagnostics"]!["url"] = $"http://127.0.0.1:{port}";
        string hwId = "e2e-" + Guid.NewGuid().ToString("N")[..12];
        root["fleet"] = new JsonObject
        {
            ["serverUrl"] = serverUrl.ToString().TrimEnd('/'),
            ["enrollmentToken"] = enrollmentToken,
            ["hwId"] = hwId,
            ["pollSeconds"] = 1,
            ["metricsWindowSeconds"] = metricsWindowSeconds,
            ["attributes"] = new JsonObject { ["site"] = "e2e" },
        };
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
