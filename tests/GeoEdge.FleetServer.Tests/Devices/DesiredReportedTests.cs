using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Tests.Storage;
using GeoEdge.FleetServer.Tests.Support;

namespace GeoEdge.FleetServer.Tests.Devices;

[Collection(DatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DesiredReportedTests(PostgresCluster cluster)
{
    private static async Task<HttpResponseMessage> GetDesiredAsync(TestServer server, TestDevice device, string? ifNoneMatch = null)
    {
        HttpRequestMessage request = device.Signed(HttpMethod.Get, $"/v1/devices/{device.Id}/desired");
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(ifNoneMatch));
        }

        return await server.Api.SendAsync(request);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Desired_state_answers_304_until_an_assignment_bumps_its_version(Provider provider)
    {
        await using TestServer server = await TestServer.StartAsync(provider, cluster, o => o.PollAfterSeconds = 45);
        using TestDevice device = await TestDevice.EnrollAsync(server, await TestDevice.CreateEnrollmentTokenAsync(server), "hw-1");

        using HttpResponseMessage first = await GetDesiredAsync(server, device);
        DesiredState initial = (await first.Content.ReadFromJsonAsync(FleetJsonContext.Default.DesiredState))!;
        using HttpResponseMessage unchanged = await GetDesiredAsync(server, device, "\"0\"");
        Assignment assignment = DeviceStoreTests.SampleAssignment("act-1");
        long v1 = await server.App.Store.Devices.AssignAsync(device.Id, assignment, CancellationToken.None);
        using HttpResponseMessage changed = await GetDesiredAsync(server, device, "\"0\"");
        DesiredState assigned = (await changed.Content.ReadFromJsonAsync(FleetJsonContext.Default.DesiredState))!;
        using HttpResponseMessage same = await GetDesiredAsync(server, device, "\"1\"");
        long v2 = await server.App.Store.Devices.ClearAssignmentAsync(device.Id, CancellationToken.None);
        using HttpResponseMessage cleared = await GetDesiredAsync(server, device, "\"1\"");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(new DesiredState(0, 45, null), initial);
        Assert.Equal("\"0\"", first.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Equal((1L, 2L), (v1, v2));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("\"1\"", changed.Headers.ETag!.Tag);
        Assert.Equal(1, assigned.DesiredVersion);
        Assert.Equal(assignment, assigned.Assignment);
        Assert.Equal(HttpStatusCode.NotModified, same.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(new DesiredState(2, 45, null), await cleared.Content.ReadFromJsonAsync(FleetJsonContext.Default.DesiredState));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Polling_faster_than_the_minimum_interval_gets_429_with_retry_after(Provider provider)
    {
        await using TestServer server = await TestServer.StartAsync(provider, cluster, o => o.MinPollIntervalSeconds = 10);
        using TestDevice device = await TestDevice.EnrollAsync(server, await TestDevice.CreateEnrollmentTokenAsync(server), "hw-1");

        using HttpResponseMessage first = await GetDesiredAsync(server, device);
        server.Time.Advance(TimeSpan.FromSeconds(3.5));
        using HttpResponseMessage early = await GetDesiredAsync(server, device);
        server.Time.Advance(TimeSpan.FromSeconds(6.5));
        using HttpResponseMessage onTime = await GetDesiredAsync(server, device);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, early.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), early.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, onTime.StatusCode);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Reported_state_is_stored_and_the_operator_view_derives_status(Provider provider)
    {
        await using TestServer server = await TestServer.StartAsync(provider, cluster, o => o.OfflineAfterSeconds = 120);
        using TestDevice device = await TestDevice.EnrollAsync(server, await TestDevice.CreateEnrollmentTokenAsync(server), "hw-1");
        async Task<DeviceView> ViewAsync() => (await server.Admin.GetFromJsonAsync($"/v1/devices/{device.Id}", FleetJsonContext.Default.DeviceView))!;
        async Task ReportAsync(long lastDesired, int code)
        {
            var reported = new ReportedState(lastDesired, new DesiredStatus(code, "x"),
                [new ReportedModel("shapes-dgcnn", new ModelVersionReference("1.1.0", new string('b', 64)), null)], "1.0.2", "raspberry-pi-5");
            using HttpResponseMessage response = await device.SendSignedAsync(HttpMethod.Put, $"/v1/devices/{device.Id}/reported",
                JsonSerializer.SerializeToUtf8Bytes(reported, FleetJsonContext.Default.ReportedState));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        DeviceView enrolled = await ViewAsync();
        await server.App.Store.Devices.AssignAsync(device.Id, DeviceStoreTests.SampleAssignment("act-1"), CancellationToken.None);
        DeviceView assigned = await ViewAsync();
        await ReportAsync(1, DesiredStatus.InProgress);
        DeviceView working = await ViewAsync();
        await ReportAsync(1, 500);
        DeviceView failed = await ViewAsync();
        server.Time.Advance(TimeSpan.FromSeconds(30));
        await ReportAsync(1, DesiredStatus.Converged);
        DeviceView converged = await ViewAsync();
        server.Time.Advance(TimeSpan.FromSeconds(121));
        DeviceView offline = await ViewAsync();
        IReadOnlyList<DeviceView> all = (await server.Admin.GetFromJsonAsync("/v1/devices", FleetJsonContext.Default.IReadOnlyListDeviceView))!;

        Assert.Equal(("online", true, 0L), (enrolled.Status, enrolled.Converged, enrolled.DesiredVersion));
        Assert.Equal(("updating", false, 1L), (assigned.Status, assigned.Converged, assigned.DesiredVersion));
        Assert.Equal(("updating", 1L), (working.Status, working.LastDesiredVersion));
        Assert.Equal("failed", failed.Status);
        Assert.Equal(("online", true), (converged.Status, converged.Converged));
        Assert.Equal("1.1.0", converged.Models[0].Active!.Version);
        Assert.Equal(server.Time.GetUtcNow() - TimeSpan.FromSeconds(121), converged.LastSeen);
        Assert.Equal("offline", offline.Status);
        Assert.Equal([device.Id], all.Select(d => d.DeviceId));
        using HttpResponseMessage unknown = await server.Admin.GetAsync("/v1/devices/dev-nope");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    public async Task A_malformed_report_is_refused_naming_the_field(Provider provider)
    {
        await using TestServer server = await TestServer.StartAsync(provider, cluster);
        using TestDevice device = await TestDevice.EnrollAsync(server, await TestDevice.CreateEnrollmentTokenAsync(server), "hw-1");

        using HttpResponseMessage response = await device.SendSignedAsync(HttpMethod.Put, $"/v1/devices/{device.Id}/reported",
            "{\"lastDesiredVersion\":\"seven\"}"u8.ToArray());
        FleetProblem problem = (await response.Content.ReadFromJsonAsync(FleetJsonContext.Default.FleetProblem))!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("$.lastDesiredVersion", problem.Detail, StringComparison.Ordinal);
    }
}
