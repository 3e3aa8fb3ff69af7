using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using GeoEdge.Host.Tests.Metrics;
using GeoEdge.Host.Tests.Models;

namespace GeoEdge.Host.Tests.Service;

/// <summary>`geoedge run` as a real process with a model that throws inside ONNX Runtime on every frame it is given: the
/// service stays up, the loop keeps the systemd watchdog fed, /metrics counts the errors, /readyz says why the pipeline is
/// not ready, and SIGTERM still stops it cleanly.</summary>
[Trait("Category", "Fault")]
public sealed class ServiceInferenceErrorTests
{
    [Fact]
    public async Task A_model_that_throws_on_every_frame_is_counted_in_metrics_and_readiness_while_the_service_keeps_running()
    {
        using var dir = new TempDirectory();
        int port = FreePort();
        StoreFixtures.PackFailing(dir.File("failing"), "1.0.1");
        FaultClouds.Write(dir.File("clouds"), true, true);
        string config = ServiceProcess.WriteConfig(dir, root =>
        {
            root["diagnostics"]!["url"] = $"http://127.0.0.1:{port}";
            root["models"] = new JsonArray(new JsonObject { ["name"] = StoreFixtures.Shapes, ["bundle"] = dir.File("failing") });
            JsonNode shapes = root["pipelines"]![0]!.DeepClone();
            shapes["source"]!["path"] = dir.File("clouds");
            shapes["sinks"] = new JsonArray("events", "log");
            root["pipelines"] = new JsonArray(shapes);
        });
        using var listener = new NotifyListener();
        using var service = ServiceProcess.Start(config, new Dictionary<string, string> { ["NOTIFY_SOCKET"] = listener.Path, ["WATCHDOG_USEC"] = "400000" });
        service.WaitForLine("Ready: 1 model(s)", TimeSpan.FromSeconds(90));
        listener.ReceiveUntil("READY=1", TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        (string, string)[] labels = [("pipeline", "shapes"), ("model", StoreFixtures.Shapes), ("version", "1.0.1")];

        // 20 frames a second, each one an error: wait for more than the readiness limit of failures in a row.
        double errors = 0;
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (errors < 8 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            PrometheusText metrics = PrometheusText.Parse(await http.GetStringAsync("/metrics"));
            errors = metrics.Samples.Any(s => s.Name == "geoedge_inference_errors_total") ? metrics.Value("geoedge_inference_errors_total", labels) : 0;
        }

        Assert.True(errors >= 8, $"{errors} errors counted; output:\n{service.Output}");

        // The only loop fails on every frame and still proves it is alive: after the backlog, new watchdog pings keep coming.
        while (listener.Receive(TimeSpan.FromMilliseconds(1)) is not null)
        {
        }

        listener.ReceiveUntil("WATCHDOG=1", TimeSpan.FromSeconds(30));
        listener.ReceiveUntil("WATCHDOG=1", TimeSpan.FromSeconds(30));
        using HttpResponseMessage ready = await http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using JsonDocument readiness = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        string[] reasons = [.. readiness.RootElement.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!)];
        Assert.Contains(reasons, r => r.StartsWith("pipeline 'shapes' failed its last ", StringComparison.Ordinal) && r.Contains("OnnxRuntimeException: ", StringComparison.Ordinal));
        using JsonDocument status = JsonDocument.Parse(await http.GetStringAsync("/api/v1/status"));
        JsonElement pipeline = status.RootElement.GetProperty("pipelines")[0];
        Assert.True(pipeline.GetProperty("failing").GetBoolean());
        Assert.True(pipeline.GetProperty("errors").GetInt64() >= 8);

        // Rate limited: one error line in the journal for the first minute's errors, not one per frame.
        Assert.Single(service.Lines, l => l.Contains("inference on shapes-dgcnn 1.0.1 failed", StringComparison.Ordinal));
        Assert.Contains("\"kind\":\"inference_error\"", File.ReadAllText(dir.File("state", "events.jsonl")), StringComparison.Ordinal);

        service.Terminate();
        Assert.True(service.WaitForExit(TimeSpan.FromSeconds(30)), service.Output);
        Assert.Equal(0, service.ExitCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
