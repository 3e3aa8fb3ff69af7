using System.Diagnostics;
using System.Text.Json.Nodes;

namespace GeoEdge.Host.Tests.Service;

/// <summary>`geoedge run` for the service tests: a <see cref="GeoEdgeProcess"/> started on a config written for a
/// temporary state directory (the command itself is <see cref="GeoEdgeCommand"/>, shared with the integration tests).</summary>
internal static class ServiceProcess
{
    public static GeoEdgeProcess Start(string config, IReadOnlyDictionary<string, string> environment, params string[] extra) =>
        GeoEdgeProcess.Start(["run", "--config", config, .. extra], environment);

    /// <summary>`geoedge ARGS` as a child process, output redirected (<see cref="GeoEdgeCommand.Create"/>).</summary>
    public static ProcessStartInfo Command(IEnumerable<string> args) => GeoEdgeCommand.Create(args);

    /// <summary>A config for a temporary state directory: dev-x64's models and sample data, with paths made absolute.</summary>
    public static string WriteConfig(TempDirectory dir, Action<JsonObject>? edit = null)
    {
        JsonObject root = DevConfig.Load(Repository.Path("device-configs"), dir.File("state"), rateHz: 20);
        root["diagnostics"]!["url"] = "http://127.0.0.1:0";
        edit?.Invoke(root);
        string file = dir.File("device.json");
        File.WriteAllText(file, root.ToJsonString());
        return file;
    }
}
