using System.Diagnostics;

namespace GeoEdge.Testing;

/// <summary>How a test starts `geoedge ARGS` as a child process: the published Native-AOT binary named by
/// <c>GEOEDGE_BIN</c> when that is set (the shipped executable, trimmed), otherwise the geoedge.dll the test project's
/// reference puts beside the tests, through <c>dotnet</c>. Output is redirected; the child never inherits a supervisor.</summary>
internal static class GeoEdgeCommand
{
    /// <summary>The environment variable naming a published geoedge executable to test instead of geoedge.dll.</summary>
    public const string BinaryVariable = "GEOEDGE_BIN";

    public static ProcessStartInfo Create(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        ProcessStartInfo info;
        if (Environment.GetEnvironmentVariable(BinaryVariable) is { Length: > 0 } binary)
        {
            info = new ProcessStartInfo(File.Exists(binary) ? Path.GetFullPath(binary) : throw new FileNotFoundException($"{BinaryVariable}={binary} does not exist", binary));
        }
        else
        {
            string dll = Path.Combine(AppContext.BaseDirectory, "geoedge.dll");
            if (!File.Exists(Path.Combine(AppContext.BaseDirectory, "geoedge.runtimeconfig.json")))
            {
                throw new FileNotFoundException($"geoedge.dll with its runtimeconfig is not beside the tests in {AppContext.BaseDirectory}");
            }

            info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet");
            info.ArgumentList.Add(dll);
        }

        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        // The child must not inherit a supervisor of the test runner's own (sd_notify watchdog of a systemd-run test).
        info.Environment.Remove("WATCHDOG_PID");
        return info;
    }
}
