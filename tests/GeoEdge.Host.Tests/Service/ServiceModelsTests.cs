using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using GeoEdge.Host.Tests.Models;

namespace GeoEdge.Host.Tests.Service;

/// <summary>`geoedge models ... --config FILE` against a running `geoedge run`: the verbs go through the diagnostics
/// endpoint to the service's own store (which holds the store lock), and the live pipeline swaps to the new version.</summary>
[Trait("Category", "Integration")]
public sealed class ServiceModelsTests
{
    [Fact]
    public void Install_activate_and_rollback_through_the_running_service()
    {
        using var dir = new TempDirectory();
        int port = FreePort();
        string config = ServiceProcess.WriteConfig(dir, root =>
        {
            root["diagnostics"]!["url"] = $"http://127.0.0.1:{port}";
            root["pipelines"]![0]!["sinks"] = new JsonArray("events", "log");
        });
        StoreFixtures.PackShapes(dir.File("next"), "1.1.0");
        using var service = ServiceProcess.Start(config, new Dictionary<string, string>());
        service.WaitForLine("Ready: 2 model(s)", TimeSpan.FromSeconds(90));

        CliResult list = CliRunner.Run("models", "list", "--config", config);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("\"name\":\"shapes-dgcnn\",\"active\":\"1.0.0\"", list.Stdout, StringComparison.Ordinal);

        CliResult install = CliRunner.Run("models", "install", dir.File("next"), "--config", config);
        Assert.True(install.ExitCode == 0, install.Stdout + install.Stderr);
        Assert.Contains("\"outcome\":\"Installed\"", install.Stdout, StringComparison.Ordinal);

        CliResult activate = CliRunner.Run("models", "activate", "shapes-dgcnn", "1.1.0", "--config", config);
        Assert.True(activate.ExitCode == 0, activate.Stdout + activate.Stderr);
        Assert.Contains("\"active\":\"1.1.0\"", activate.Stdout, StringComparison.Ordinal);

        // The running pipeline now classifies with 1.1.0, without a restart.
        service.WaitForLine("shapes shapes-dgcnn 1.1.0: classification", TimeSpan.FromSeconds(30));

        CliResult rollback = CliRunner.Run("models", "rollback", "shapes-dgcnn", "--config", config);
        Assert.True(rollback.ExitCode == 0, rollback.Stdout + rollback.Stderr);
        Assert.Contains("\"active\":\"1.0.0\"", rollback.Stdout, StringComparison.Ordinal);

        CliResult unknown = CliRunner.Run("models", "activate", "shapes-dgcnn", "9.9.9", "--config", config);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("answered 404", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"activation\"", File.ReadAllText(dir.File("state", "events.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_running_service_the_verbs_work_on_the_store_of_the_config()
    {
        using var dir = new TempDirectory();
        string config = ServiceProcess.WriteConfig(dir, root => root["diagnostics"]!["url"] = $"http://127.0.0.1:{FreePort()}");

        CliResult install = CliRunner.Run("models", "install", Repository.Path("models/shapes-dgcnn/bundle"), "--config", config);
        CliResult list = CliRunner.Run("models", "list", "--config", config);

        Assert.True(install.ExitCode == 0, install.Stderr);
        Assert.Contains("shapes-dgcnn: active -", list.Stdout, StringComparison.Ordinal);
        Assert.True(Directory.Exists(dir.File("state", "models", "shapes-dgcnn", "1.0.0")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
