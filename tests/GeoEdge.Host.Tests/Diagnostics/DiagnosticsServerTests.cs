using System.Net;
using System.Text;
using System.Text.Json;
using GeoEdge.Host.Diagnostics;
using GeoEdge.Host.Events;
using GeoEdge.Host.Metrics;
using GeoEdge.Host.Tests.Metrics;
using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Host.Tests.Diagnostics;

[Trait("Category", "Integration")]
public sealed class DiagnosticsServerTests
{
    [Fact]
    public async Task The_server_listens_on_loopback_on_the_port_kestrel_chose()
    {
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync();
        Assert.Equal("127.0.0.1", h.Address.Host);
        Assert.NotEqual(0, h.Address.Port);

        using HttpResponseMessage health = await h.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using JsonDocument json = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        Assert.Equal("alive", json.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_is_200_while_every_pipeline_ticks_in_time_and_503_with_reasons_otherwise()
    {
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync();
        h.Time.Advance(TimeSpan.FromSeconds(1.5));
        using (HttpResponseMessage ready = await h.Client.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        h.Time.Advance(TimeSpan.FromSeconds(0.5));
        h.State.Current = h.State.Current with { Models = [new ModelState("shapes-dgcnn", false, null, null)] };
        using HttpResponseMessage late = await h.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, late.StatusCode);
        using JsonDocument json = JsonDocument.Parse(await late.Content.ReadAsStringAsync());
        Assert.False(json.RootElement.GetProperty("ready").GetBoolean());
        Assert.Equal(
            ["model 'shapes-dgcnn' is not loaded", "pipeline 'shapes' last ticked 2 s ago; allowed 1.5 s (3 periods of 0.5 s)"],
            json.RootElement.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToArray());
    }

    [Fact]
    public async Task A_pipeline_that_never_ticked_is_not_ready()
    {
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync();
        h.State.Current = h.State.Current with { Pipelines = [new PipelineHeartbeat("lidar", "shapes-dgcnn", null, null, TimeSpan.FromSeconds(1))] };
        using HttpResponseMessage response = await h.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("pipeline 'lidar' has not ticked yet", json.RootElement.GetProperty("reasons")[0].GetString());
    }

    [Fact]
    public async Task Metrics_are_served_in_the_text_format_with_what_was_recorded()
    {
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync();
        h.Metrics.ForPipeline("shapes", "shapes-dgcnn", "1.0.0", PipelineKind.PointCloud).RecordRejection(RejectionReason.NonFinitePoints);
        h.Metrics.SetActiveModel("shapes-dgcnn", "1.0.0");

        using HttpResponseMessage response = await h.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        PrometheusText p = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, p.Value("geoedge_rejections_total", ("pipeline", "shapes"), ("model", "shapes-dgcnn"), ("version", "1.0.0"), ("reason", "NonFinitePoints")));
        Assert.Equal(1, p.Value("geoedge_model_active", ("model", "shapes-dgcnn"), ("version", "1.0.0")));
    }

    [Fact]
    public async Task Status_joins_the_device_snapshot_with_the_pipeline_metrics()
    {
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync();
        PipelineMetrics m = h.Metrics.ForPipeline("shapes", "shapes-dgcnn", "1.0.0", PipelineKind.PointCloud);
        m.Record(Classified(totalRunUs: 1000, ood: true));
        m.Record(Classified(totalRunUs: 3000, ood: false));
        m.RecordRejection(RejectionReason.TooFewPoints);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        h.State.Current = h.State.Current with { Pipelines = [h.State.Current.Pipelines[0] with { LastTick = DiagnosticsHarness.Start.AddSeconds(1) }] };
        h.Time.Advance(TimeSpan.FromSeconds(89));

        using JsonDocument json = JsonDocument.Parse(await h.Client.GetStringAsync("/api/v1/status"));
        JsonElement root = json.RootElement;

        Assert.Equal("bench-01", root.GetProperty("device").GetString());
        Assert.Equal("dev-x64", root.GetProperty("board").GetProperty("name").GetString());
        Assert.Equal(90, root.GetProperty("uptimeSeconds").GetDouble());
        Assert.Equal("cpu", root.GetProperty("executionProvider").GetString());
        Assert.False(root.GetProperty("ready").GetBoolean());
        JsonElement shapes = root.GetProperty("pipelines")[0];
        Assert.Equal("shapes", shapes.GetProperty("name").GetString());
        Assert.Equal("1.0.0", shapes.GetProperty("version").GetString());
        Assert.Equal("2026-11-29T12:00:01+00:00", shapes.GetProperty("lastTick").GetString());
        Assert.Equal(500, shapes.GetProperty("expectedPeriodMs").GetDouble());
        Assert.True(shapes.GetProperty("late").GetBoolean());
        Assert.Equal(2, shapes.GetProperty("inferences").GetInt64());
        Assert.Equal(1, shapes.GetProperty("rejections").GetInt64());
        Assert.Equal(1, shapes.GetProperty("outOfDistribution").GetInt64());
        Assert.Equal(2000 + 150, shapes.GetProperty("meanLatencyUs").GetDouble(), 9);
        JsonElement model = root.GetProperty("models")[0];
        Assert.Equal("shapes-dgcnn", model.GetProperty("name").GetString());
        Assert.Equal("1.0.0", model.GetProperty("active").GetString());
        Assert.True(model.GetProperty("loaded").GetBoolean());
    }

    [Fact]
    public async Task Recent_events_come_newest_first_up_to_the_limit()
    {
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync();
        for (int i = 1; i <= 5; i++)
        {
            h.Events.Publish(new DeviceEvent(DiagnosticsHarness.Start.AddSeconds(i), "shapes", "shapes-dgcnn", "1.0.0", DeviceEventKind.Classification, $"label{i}", 0.5, LatencyUs: 100));
        }

        using JsonDocument json = JsonDocument.Parse(await h.Client.GetStringAsync("/api/v1/events?limit=2"));
        Assert.Equal(["label5", "label4"], json.RootElement.EnumerateArray().Select(e => e.GetProperty("label").GetString()!).ToArray());
        Assert.Equal("classification", json.RootElement[0].GetProperty("kind").GetString());
        Assert.Equal(5, JsonDocument.Parse(await h.Client.GetStringAsync("/api/v1/events")).RootElement.GetArrayLength());

        using HttpResponseMessage bad = await h.Client.GetAsync("/api/v1/events?limit=-3");
        Assert.Contains("'-3'", await AssertProblem(bad, HttpStatusCode.BadRequest, "bad-limit"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_routes_are_404()
    {
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await h.Client.GetAsync("/api/v2/status")).StatusCode);
    }

    [Fact]
    public async Task The_dashboard_page_is_self_contained()
    {
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync();
        using HttpResponseMessage response = await h.Client.GetAsync("/");
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("new EventSource(\"/api/v1/events\")", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("innerHTML", html, StringComparison.Ordinal);
    }

    internal static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>Checks status, the problem+json media type and the problem's type; returns its detail.</summary>
    internal static async Task<string> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using JsonDocument json = JsonDocument.Parse(body);
        Assert.Equal("urn:geoedge:problem:" + type, json.RootElement.GetProperty("type").GetString());
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
        return json.RootElement.GetProperty("detail").GetString()!;
    }

    private static PipelineResult<CloudClassification> Classified(double totalRunUs, bool ood) =>
        PipelineResult<CloudClassification>.Success(new CloudClassification(
            2, "box", 0.9, [], new OodAssessment("energy", 0, 0, ood, 0, null), 1024, 0, 0, [], new PointCloudTimings(10, 20, 30, 40, 50, totalRunUs, 0)));
}
