using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace GeoEdge.Host.Tests.Service;

/// <summary>A real `geoedge run` child process (the built geoedge.dll through dotnet) with its output collected line by line.</summary>
internal sealed partial class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _newLine = new(0);

    private ServiceProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public IReadOnlyCollection<string> Lines => _lines;

    public string Output => string.Join('\n', _lines);

    public static ServiceProcess Start(string config, IReadOnlyDictionary<string, string> environment, params string[] extra)
    {
        ProcessStartInfo info = Command(["run", "--config", config, .. extra]);

        foreach ((string name, string value) in environment)
        {
            info.Environment[name] = value;
        }

        // The child must not inherit a supervisor of the test runner's own.
        info.Environment.Remove("WATCHDOG_PID");
        return new ServiceProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start geoedge"));
    }

    /// <summary>`geoedge ARGS` as a child process: the built geoedge.dll beside the tests, through `dotnet`, output redirected.</summary>
    public static ProcessStartInfo Command(IEnumerable<string> args)
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
        info.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    /// <summary>A config for a temporary state directory: dev-x64's models and sample data, with paths made absolute.</summary>
    public static string WriteConfig(TempDirectory dir, Action<JsonObject>? edit = null)
    {
        JsonObject root = JsonNode.Parse(File.ReadAllText(Repository.Path("device-configs/dev-x64.json")))!.AsObject();
        string configs = Repository.Path("device-configs");
        root["stateDirectory"] = dir.File("state");
        root["trustedKeys"] = new JsonArray(Path.GetFullPath(Path.Combine(configs, root["trustedKeys"]![0]!.GetValue<string>())));
        foreach (JsonNode? model in root["models"]!.AsArray())
        {
            model!["bundle"] = Path.GetFullPath(Path.Combine(configs, model["bundle"]!.GetValue<string>()));
        }

        foreach (JsonNode? pipeline in root["pipelines"]!.AsArray())
        {
            JsonNode source = pipeline!["source"]!;
            source["path"] = Path.GetFullPath(Path.Combine(configs, source["path"]!.GetValue<string>()));
            source["rateHz"] = 20;
        }

        root["diagnostics"]!["url"] = "http://127.0.0.1:0";
        edit?.Invoke(root);
        string file = dir.File("device.json");
        File.WriteAllText(file, root.ToJsonString());
        return file;
    }

    /// <summary>Waits until a line containing <paramref name="text"/> has been printed.</summary>
    public string WaitForLine(string text, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            foreach (string line in _lines)
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return line;
                }
            }

            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || _process.HasExited && !_newLine.Wait(100))
            {
                throw new TimeoutException($"no line with '{text}' within {timeout} (exited: {_process.HasExited}); output:\n{Output}");
            }

            _newLine.Wait(left);
        }
    }

    /// <summary>SIGTERM, as systemd stops a unit.</summary>
    public void Terminate() => Assert.Equal(0, Kill(_process.Id, 15));

    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }

        _process.WaitForExit(); // the timed wait does not wait for the redirected output to be read to its end
        return true;
    }

    public int ExitCode => _process.ExitCode;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        _newLine.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
            _newLine.Release();
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
