using System.Net;
using System.Text.Json;
using GeoEdge.Host.Events;
using GeoEdge.Host.Models;
using GeoEdge.Host.Tests.Metrics;
using GeoEdge.Host.Tests.Models;
using GeoEdge.Inference.Bundles;
using static GeoEdge.Host.Tests.Diagnostics.DiagnosticsServerTests;

namespace GeoEdge.Host.Tests.Diagnostics;

/// <summary>The model routes over the service's real adapter and a real store of shapes-dgcnn 1.0.0 (active) and 1.1.0.</summary>
[Trait("Category", "Integration")]
public sealed class ModelRoutesTests(InstalledShapesStore shared) : IClassFixture<InstalledShapesStore>
{
    private const string Shapes = StoreFixtures.Shapes;

    [Fact]
    public async Task Models_are_listed_from_the_store()
    {
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync(store: shared.Store);
        using JsonDocument json = JsonDocument.Parse(await h.Client.GetStringAsync("/api/v1/models"));
        JsonElement shapes = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(Shapes, shapes.GetProperty("name").GetString());
        Assert.Equal("1.0.0", shapes.GetProperty("active").GetString());
        Assert.False(shapes.TryGetProperty("previous", out _)); // null members are left out
        Assert.Equal(["1.0.0", "1.1.0"], shapes.GetProperty("installed").EnumerateArray().Select(v => v.GetString()!).ToArray());
    }

    [Theory]
    [InlineData("nope", """{"version":"1.0.0"}""", HttpStatusCode.NotFound, "unknown-model", "no model 'nope' is installed")]
    [InlineData(Shapes, """{"version":"9.9.9"}""", HttpStatusCode.NotFound, "unknown-version", "shapes-dgcnn has no installed version 9.9.9 (installed: 1.0.0, 1.1.0)")]
    [InlineData(Shapes, """{"version":""", HttpStatusCode.BadRequest, "bad-json", "the body is not {\"version\": \"x.y.z\"}")]
    [InlineData(Shapes, """{"version":12}""", HttpStatusCode.BadRequest, "bad-json", "$.version")]
    [InlineData(Shapes, """{}""", HttpStatusCode.BadRequest, "missing-version", "must name the version")]
    public async Task Bad_activations_answer_a_problem_naming_what_was_wrong(string model, string body, HttpStatusCode status, string type, string detail)
    {
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync(store: shared.Store);
        using HttpRequestMessage request = h.Authorized(HttpMethod.Post, $"/api/v1/models/{model}/activate");
        request.Content = DiagnosticsServerTests.Json(body);
        using HttpResponseMessage response = await h.Client.SendAsync(request);
        string problemDetail = await AssertProblem(response, status, type);
        Assert.Contains(detail, problemDetail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await h.Client.GetAsync("/healthz")).StatusCode);
        Assert.Equal("1.0.0", shared.Store.Slot(Shapes).Version);
        Assert.Equal(0, h.Events.Published);
    }

    [Fact]
    public async Task Rollback_without_a_previous_version_is_a_conflict_and_of_an_unknown_model_a_404()
    {
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync(store: shared.Store);
        using (HttpRequestMessage request = h.Authorized(HttpMethod.Post, $"/api/v1/models/{Shapes}/rollback"))
        using (HttpResponseMessage response = await h.Client.SendAsync(request))
        {
            Assert.Equal("shapes-dgcnn has no previous version to roll back to", await AssertProblem(response, HttpStatusCode.Conflict, "refused"));
        }

        using (HttpRequestMessage request = h.Authorized(HttpMethod.Post, "/api/v1/models/nope/rollback"))
        using (HttpResponseMessage response = await h.Client.SendAsync(request))
        {
            Assert.Equal("no model 'nope' is installed", await AssertProblem(response, HttpStatusCode.NotFound, "unknown-model"));
        }

        Assert.Equal("1.0.0", shared.Store.Slot(Shapes).Version);
    }

    [Fact]
    public async Task Activate_and_rollback_need_the_bearer_token_and_swap_the_loaded_version()
    {
        // This test changes what is active, so it has a store of its own.
        using TwoVersionStore files = await TwoVersionStore.CreateAsync();
        using ModelStore store = await InstalledShapesStore.OpenAsync(files);
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync(store: store);

        using (var none = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/models/{Shapes}/activate") { Content = DiagnosticsServerTests.Json("""{"version":"1.1.0"}""") })
        using (HttpResponseMessage response = await h.Client.SendAsync(none))
        {
            await AssertProblem(response, HttpStatusCode.Unauthorized, "unauthorized");
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }

        string wrong = new('0', h.TokenText.Length);
        using (HttpRequestMessage request = h.Authorized(HttpMethod.Post, $"/api/v1/models/{Shapes}/activate", wrong))
        {
            request.Content = DiagnosticsServerTests.Json("""{"version":"1.1.0"}""");
            using HttpResponseMessage response = await h.Client.SendAsync(request);
            await AssertProblem(response, HttpStatusCode.Unauthorized, "unauthorized");
        }

        using (HttpRequestMessage request = h.Authorized(HttpMethod.Post, $"/api/v1/models/{Shapes}/rollback", h.TokenText + "0"))
        using (HttpResponseMessage response = await h.Client.SendAsync(request))
        {
            await AssertProblem(response, HttpStatusCode.Unauthorized, "unauthorized");
        }

        // Nothing changed through the refused requests.
        Assert.Contains("\"active\":\"1.0.0\"", await h.Client.GetStringAsync("/api/v1/models"), StringComparison.Ordinal);
        Assert.Equal("1.0.0", store.Slot(Shapes).Version);
        Assert.Equal(0, h.Events.Published);

        using (HttpRequestMessage request = h.Authorized(HttpMethod.Post, $"/api/v1/models/{Shapes}/activate"))
        {
            request.Content = DiagnosticsServerTests.Json("""{"version":"1.1.0"}""");
            using HttpResponseMessage response = await h.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("Activated", json.RootElement.GetProperty("outcome").GetString());
            Assert.Equal("1.1.0", json.RootElement.GetProperty("active").GetString());
            Assert.Equal("1.0.0", json.RootElement.GetProperty("previous").GetString());
            Assert.Equal("shapes-dgcnn 1.1.0: active", json.RootElement.GetProperty("detail").GetString());
        }

        Assert.Equal("1.1.0", store.Slot(Shapes).Version);
        PrometheusText metrics = PrometheusText.Parse(await h.Client.GetStringAsync("/metrics"));
        Assert.Equal(1, metrics.Value("geoedge_model_active", ("model", Shapes), ("version", "1.1.0")));

        using (HttpRequestMessage request = h.Authorized(HttpMethod.Post, $"/api/v1/models/{Shapes}/rollback"))
        using (HttpResponseMessage response = await h.Client.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("RolledBack", json.RootElement.GetProperty("outcome").GetString());
            Assert.Equal("1.0.0", json.RootElement.GetProperty("active").GetString());
            Assert.Equal("1.1.0", json.RootElement.GetProperty("previous").GetString());
        }

        Assert.Equal("1.0.0", store.Slot(Shapes).Version);
        Assert.Equal(
            [(DeviceEventKind.Rollback, "1.0.0"), (DeviceEventKind.Activation, "1.1.0")],
            h.Events.Snapshot().Select(e => (e.Kind, e.Version)).ToArray());
    }

    [Fact]
    public async Task Install_takes_a_verified_bundle_by_absolute_path_and_refuses_a_tampered_one_naming_the_file()
    {
        // An empty store of its own (installing changes it; nothing is loaded, so this is quick).
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync();
        string scratch = Path.Combine(h.StateDirectory, "incoming");
        Directory.CreateDirectory(scratch);
        PackedBundle packed = StoreFixtures.PackShapes(Path.Combine(scratch, "shapes-1.2.0"), "1.2.0");

        using (HttpRequestMessage request = h.Authorized(HttpMethod.Post, "/api/v1/models/install"))
        {
            request.Content = DiagnosticsServerTests.Json(JsonSerializer.Serialize(new Dictionary<string, string> { ["path"] = packed.Path }));
            using HttpResponseMessage response = await h.Client.SendAsync(request);
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            using JsonDocument json = JsonDocument.Parse(body);
            Assert.Equal("Installed", json.RootElement.GetProperty("outcome").GetString());
            Assert.Equal(Shapes, json.RootElement.GetProperty("model").GetString());
            Assert.False(json.RootElement.TryGetProperty("active", out _)); // null members are left out
            Assert.EndsWith("): installed", json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using (JsonDocument list = JsonDocument.Parse(await h.Client.GetStringAsync("/api/v1/models")))
        {
            JsonElement shapes = Assert.Single(list.RootElement.EnumerateArray());
            Assert.Equal(["1.2.0"], shapes.GetProperty("installed").EnumerateArray().Select(v => v.GetString()!).ToArray());
            Assert.False(shapes.TryGetProperty("active", out _)); // null members are left out
        }

        // The same graph packed as 1.3.0, one byte of model.onnx flipped after signing.
        PackedBundle tampered = StoreFixtures.PackShapes(Path.Combine(scratch, "shapes-1.3.0"), "1.3.0");
        string onnx = Path.Combine(tampered.Path, "model.onnx");
        byte[] bytes = File.ReadAllBytes(onnx);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(onnx, bytes);
        using (HttpRequestMessage request = h.Authorized(HttpMethod.Post, "/api/v1/models/install"))
        {
            request.Content = DiagnosticsServerTests.Json(JsonSerializer.Serialize(new Dictionary<string, string> { ["path"] = tampered.Path }));
            using HttpResponseMessage response = await h.Client.SendAsync(request);
            Assert.Contains("model.onnx", await AssertProblem(response, HttpStatusCode.Conflict, "refused"), StringComparison.Ordinal);
        }

        using (HttpRequestMessage request = h.Authorized(HttpMethod.Post, "/api/v1/models/install"))
        {
            request.Content = DiagnosticsServerTests.Json("""{"path":"incoming/shapes-1.2.0"}""");
            using HttpResponseMessage response = await h.Client.SendAsync(request);
            Assert.Contains("absolute path", await AssertProblem(response, HttpStatusCode.BadRequest, "missing-path"), StringComparison.Ordinal);
        }

        using (var none = new HttpRequestMessage(HttpMethod.Post, "/api/v1/models/install") { Content = DiagnosticsServerTests.Json(JsonSerializer.Serialize(new Dictionary<string, string> { ["path"] = packed.Path })) })
        using (HttpResponseMessage response = await h.Client.SendAsync(none))
        {
            await AssertProblem(response, HttpStatusCode.Unauthorized, "unauthorized");
        }

        using JsonDocument after = JsonDocument.Parse(await h.Client.GetStringAsync("/api/v1/models"));
        Assert.Equal(["1.2.0"], after.RootElement[0].GetProperty("installed").EnumerateArray().Select(v => v.GetString()!).ToArray());
    }
}
