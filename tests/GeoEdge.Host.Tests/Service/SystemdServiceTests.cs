using System.Text.Json.Nodes;

namespace GeoEdge.Host.Tests.Service;

/// <summary>`geoedge run` as systemd sees it, through a real NOTIFY_SOCKET: READY=1 only with the models loaded, WATCHDOG=1 from
/// the loops, silence when a loop hangs, STOPPING=1 and a clean exit on SIGTERM.</summary>
[Trait("Category", "Integration")]
public sealed class SystemdServiceTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public void Ready_after_models_are_active_then_watchdog_pings_then_stopping_on_sigterm()
    {
        using var dir = new TempDirectory();
        using var listener = new NotifyListener();
        string config = ServiceProcess.WriteConfig(dir);
        using var service = ServiceProcess.Start(config, new Dictionary<string, string> { ["NOTIFY_SOCKET"] = listener.Path, ["WATCHDOG_USEC"] = "400000" });

        List<string> beforeReady = listener.ReceiveUntil("READY=1", StartTimeout);

        // READY=1 is the first notification, and by then both models are active on disk and loaded (their log lines came first).
        Assert.Single(beforeReady);
        Assert.Contains("MAINPID=" + service.Id, beforeReady[0], StringComparison.Ordinal);
        Assert.Equal("1.0.0", ActiveVersion(dir, "shapes-dgcnn"));
        Assert.Equal("1.0.0", ActiveVersion(dir, "sensor-stgnn"));
        service.WaitForLine("Model sensor-stgnn 1.0.0 active on cpu", TimeSpan.FromSeconds(5));

        // Watchdog pings follow while both loops run (WATCHDOG_USEC 0.4 s: one at least every 0.2 s of progress).
        listener.ReceiveUntil("WATCHDOG=1", TimeSpan.FromSeconds(30));
        listener.ReceiveUntil("WATCHDOG=1", TimeSpan.FromSeconds(30));
        service.WaitForLine("shapes shapes-dgcnn 1.0.0: classification", TimeSpan.FromSeconds(30));

        service.Terminate();

        listener.ReceiveUntil("STOPPING=1", TimeSpan.FromSeconds(30));
        Assert.True(service.WaitForExit(TimeSpan.FromSeconds(30)), service.Output);
        Assert.Equal(0, service.ExitCode);
        Assert.Contains("Pipeline shapes ended", service.Output, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"classification\"", File.ReadAllText(dir.File("state", "events.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Fault")]
    public void A_hung_pipeline_stops_the_watchdog_pings()
    {
        using var dir = new TempDirectory();
        using var listener = new NotifyListener();
        string config = ServiceProcess.WriteConfig(dir);
        using var service = ServiceProcess.Start(config, new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = listener.Path,
            ["WATCHDOG_USEC"] = "400000",
            ["GEOEDGE_FAULT_HANG_PIPELINE"] = "shapes",
        });

        listener.ReceiveUntil("READY=1", StartTimeout);
        service.WaitForLine("pipeline shapes hangs now", TimeSpan.FromSeconds(60));

        // A ping may already be due from a beat just before the hang; after it, the other loop alone cannot ping:
        // 7 watchdog intervals of silence while the building pipeline keeps producing results.
        int pings = 0;
        DateTime until = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (DateTime.UtcNow < until)
        {
            if (listener.Receive(TimeSpan.FromMilliseconds(200)) == "WATCHDOG=1")
            {
                pings++;
            }
        }

        Assert.True(pings <= 1, $"{pings} pings after the hang");
        // The silence is not a stopped process: the building loop kept consuming readings and publishing anomalies.
        int before = BuildingResults(service);
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (BuildingResults(service) == before && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
        }

        Assert.True(BuildingResults(service) > before, "the building pipeline stopped too:\n" + service.Output);
    }

    private static int BuildingResults(GeoEdgeProcess service) => service.Lines.Count(l => l.Contains("building sensor-stgnn 1.0.0: anomaly", StringComparison.Ordinal));

    [Fact]
    public void Bad_config_exits_1_naming_the_file_and_field_without_notifying_ready()
    {
        using var dir = new TempDirectory();
        using var listener = new NotifyListener();
        string config = ServiceProcess.WriteConfig(dir, root => root["pipelines"]![0]!["source"]!["rateHz"] = -1);
        using var service = ServiceProcess.Start(config, new Dictionary<string, string> { ["NOTIFY_SOCKET"] = listener.Path });

        Assert.True(service.WaitForExit(TimeSpan.FromSeconds(60)));

        Assert.Equal(1, service.ExitCode);
        Assert.Contains($"{config}: pipelines[0].source.rateHz: must be between", service.Output, StringComparison.Ordinal);
        Assert.Null(listener.Receive(TimeSpan.FromMilliseconds(200)));
    }

    private static string? ActiveVersion(TempDirectory dir, string model) =>
        JsonNode.Parse(File.ReadAllText(dir.File("state", "models", model, "state.json")))!["active"]?.GetValue<string>();
}
