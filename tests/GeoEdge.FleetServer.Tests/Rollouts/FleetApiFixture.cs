using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Server;
using GeoEdge.FleetServer.Tests.Storage;
using GeoEdge.FleetServer.Tests.Support;

namespace GeoEdge.FleetServer.Tests.Rollouts;

/// <summary>A real server with shapes-dgcnn 1.0.0 (shipped) and 1.1.0 (re-signed) uploaded, enrolled devices and a viewer token.</summary>
internal sealed class FleetApiFixture : IAsyncDisposable
{
    private FleetApiFixture(TestServer server, List<TestDevice> devices, HttpClient viewer)
    {
        Server = server;
        Devices = devices;
        Viewer = viewer;
    }

    public TestServer Server { get; }

    public List<TestDevice> Devices { get; }

    public HttpClient Viewer { get; }

    public string ViewerToken => Viewer.DefaultRequestHeaders.Authorization!.Parameter!;

    public static async Task<FleetApiFixture> StartAsync(Provider provider, PostgresCluster cluster, int devices)
    {
        TestServer server = await TestServer.StartAsync(provider, cluster);
        // Registered straight into the store: the rollout API needs registry rows, not bundle bytes (upload is the
        // registry's own test).
        await FleetSeed.SeedAsync(server.App.Store, devices: 0);
        string token = await TestDevice.CreateEnrollmentTokenAsync(server, maxUses: devices);
        var enrolled = new List<TestDevice>();
        for (int i = 0; i < devices; i++)
        {
            enrolled.Add(await TestDevice.EnrollAsync(server, token, $"hw-{i:00}"));
        }

        HttpResponseMessage created = await server.Admin.PostAsJsonAsync("/v1/operator-tokens", new OperatorTokenRequest("dashboard", "viewer"), ServerJsonContext.Default.OperatorTokenRequest);
        string secret = (await created.Content.ReadFromJsonAsync(ServerJsonContext.Default.OperatorTokenResponse))!.Token;
        var viewer = new HttpClient { BaseAddress = server.App.ApiAddress };
        viewer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return new FleetApiFixture(server, enrolled, viewer);
    }

    public static byte[] Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) => JsonSerializer.SerializeToUtf8Bytes(value, info);

    public Task<HttpResponseMessage> PostRolloutAsync(HttpClient client, RolloutRequest request) =>
        client.PostAsJsonAsync("/v1/rollouts", request, FleetJsonContext.Default.RolloutRequest);

    public static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync(FleetJsonContext.Default.FleetProblem))!.Detail!;

    /// <summary>A signed status report with an Idempotency-Key.</summary>
    public static Task<HttpResponseMessage> ReportAsync(TestServer server, TestDevice device, string actionId, string? key, ActionStatusReport report)
    {
        byte[] body = Json(report, FleetJsonContext.Default.ActionStatusReport);
        HttpRequestMessage request = device.Signed(HttpMethod.Post, $"/v1/devices/{device.Id}/actions/{actionId}/status", body);
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return server.Api.SendAsync(request);
    }

    public static async Task<DesiredState> DesiredAsync(TestServer server, TestDevice device)
    {
        HttpResponseMessage response = await device.SendSignedAsync(HttpMethod.Get, $"/v1/devices/{device.Id}/desired");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(FleetJsonContext.Default.DesiredState))!;
    }

    public static string Utf8(byte[] b) => Encoding.UTF8.GetString(b);

    public async ValueTask DisposeAsync()
    {
        Viewer.Dispose();
        foreach (TestDevice d in Devices)
        {
            d.Dispose();
        }

        await Server.DisposeAsync();
    }
}
