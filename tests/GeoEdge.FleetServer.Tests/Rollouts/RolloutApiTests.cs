using System.Net;
using System.Net.Http.Json;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Metrics;
using GeoEdge.FleetServer.Rollouts;
using GeoEdge.FleetServer.Tests.Metrics;
using GeoEdge.FleetServer.Tests.Storage;
using GeoEdge.FleetServer.Tests.Support;
using static GeoEdge.FleetServer.Tests.Rollouts.FleetApiFixture;

namespace GeoEdge.FleetServer.Tests.Rollouts;

[Collection(DatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RolloutApiTests(PostgresCluster cluster)
{
    private static RolloutRequest TwoStages() => new("shapes-dgcnn", "1.0.0", "1.1.0", new TargetSelector(),
        [RolloutFixture.Stage("canary", null) with { Count = 1, MinDevices = 1 }, RolloutFixture.Stage("rest", null)]);

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Rollout_assigns_devices_take_statuses_pause_resume_cancel(Provider provider)
    {
        await using FleetApiFixture f = await FleetApiFixture.StartAsync(provider, cluster, devices: 3);
        TestServer server = f.Server;

        Assert.Equal(HttpStatusCode.Forbidden, (await f.PostRolloutAsync(f.Viewer, TwoStages())).StatusCode);
        HttpResponseMessage bad = await f.PostRolloutAsync(server.Admin, TwoStages() with { ToVersion = "9.9.9" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("toVersion: shapes-dgcnn 9.9.9 is not in the registry", await DetailAsync(bad));

        HttpResponseMessage created = await f.PostRolloutAsync(server.Admin, TwoStages());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        RolloutView rollout = (await created.Content.ReadFromJsonAsync(FleetJsonContext.Default.RolloutView))!;
        await new RolloutEvaluation(server.App.Store).RunAsync(rollout.Id, CancellationToken.None);

        string canaryId = StageSplit.Split(rollout.Id, f.Devices.ConvertAll(d => d.Id), rollout.Request.Stages)[0][0];
        TestDevice canary = f.Devices.Single(d => d.Id == canaryId);
        TestDevice other = f.Devices.First(d => d.Id != canaryId);
        DesiredState desired = await DesiredAsync(server, canary);
        Assert.Equal(("1.1.0", "canary", rollout.Id), (desired.Assignment!.Version, desired.Assignment.Stage, desired.Assignment.RolloutId));
        Assert.Null((await DesiredAsync(server, other)).Assignment);
        string action = desired.Assignment.ActionId;

        var downloading = new ActionStatusReport(1, server.Time.GetUtcNow(), ActionStatus.Downloading, new ActionProgress(10, 100));
        Assert.Equal(HttpStatusCode.BadRequest, (await ReportAsync(server, canary, action, null, downloading)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await ReportAsync(server, canary, action, "k1", downloading)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await ReportAsync(server, canary, action, "k1", downloading)).StatusCode);
        HttpResponseMessage reused = await ReportAsync(server, canary, action, "k1", downloading with { Seq = 2 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("Idempotency-Key 'k1' was first used with another body", await DetailAsync(reused));
        Assert.Equal(HttpStatusCode.NotFound, (await ReportAsync(server, other, action, "k9", downloading)).StatusCode);

        RolloutView view = (await f.Viewer.GetFromJsonAsync($"/v1/rollouts/{rollout.Id}", FleetJsonContext.Default.RolloutView))!;
        Assert.Equal(new Dictionary<string, int> { ["downloading"] = 1 }, view.Stages[0].ByStatus);
        Assert.Single((await f.Viewer.GetFromJsonAsync("/v1/rollouts", FleetJsonContext.Default.IReadOnlyListRolloutView))!);

        Assert.Equal(HttpStatusCode.OK, (await server.Admin.PostAsync($"/v1/rollouts/{rollout.Id}/pause", null)).StatusCode);
        HttpResponseMessage again = await server.Admin.PostAsync($"/v1/rollouts/{rollout.Id}/pause", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal($"rollout '{rollout.Id}' is paused; this needs it running", await DetailAsync(again));
        Assert.Equal(HttpStatusCode.OK, (await server.Admin.PostAsync($"/v1/rollouts/{rollout.Id}/resume", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.PostAsync("/v1/rollouts/r-nope/cancel", null)).StatusCode);
        HttpResponseMessage canceled = await server.Admin.PostAsync($"/v1/rollouts/{rollout.Id}/cancel", null);
        Assert.Equal(RolloutStates.Canceled, (await canceled.Content.ReadFromJsonAsync(FleetJsonContext.Default.RolloutView))!.State);

        DesiredState cleared = await DesiredAsync(server, canary);
        Assert.Equal((2L, (Assignment?)null), (cleared.DesiredVersion, cleared.Assignment));
        Assert.Equal(HttpStatusCode.Gone, (await ReportAsync(server, canary, action, "k2", downloading with { Seq = 3 })).StatusCode);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_maintenance_window_is_checked_at_creation_422_naming_the_field_and_a_good_one_reaches_the_assignment(Provider provider)
    {
        await using FleetApiFixture f = await FleetApiFixture.StartAsync(provider, cluster, devices: 1);
        TestServer server = f.Server;

        foreach ((MaintenanceWindow window, string detail) in new[]
        {
            (new MaintenanceWindow("25:00", "04:00"), "maintenanceWindow.startUtc: '25:00' is not HH:mm (UTC, 00:00 to 23:59)"),
            (new MaintenanceWindow("22:00", "4:00"), "maintenanceWindow.endUtc: '4:00' is not HH:mm (UTC, 00:00 to 23:59)"),
            (new MaintenanceWindow("02:00", "02:00"), "maintenanceWindow: startUtc and endUtc are both 02:00: omit the window for \"any time\""),
        })
        {
            HttpResponseMessage refused = await f.PostRolloutAsync(server.Admin, TwoStages() with { MaintenanceWindow = window });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
            FleetProblem problem = (await refused.Content.ReadFromJsonAsync(FleetJsonContext.Default.FleetProblem))!;
            Assert.Equal(("urn:geoedge:fleet:unprocessable-rollout", 422, detail), (problem.Type, problem.Status, problem.Detail));
        }

        Assert.Empty((await f.Viewer.GetFromJsonAsync("/v1/rollouts", FleetJsonContext.Default.IReadOnlyListRolloutView))!);

        var night = new MaintenanceWindow("22:00", "04:00");
        HttpResponseMessage created = await f.PostRolloutAsync(server.Admin, TwoStages() with { MaintenanceWindow = night });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        RolloutView rollout = (await created.Content.ReadFromJsonAsync(FleetJsonContext.Default.RolloutView))!;
        Assert.Equal(night, rollout.Request.MaintenanceWindow);
        await new RolloutEvaluation(server.App.Store).RunAsync(rollout.Id, CancellationToken.None);

        Assignment assignment = (await DesiredAsync(server, f.Devices[0])).Assignment!;
        Assert.Equal((AssignmentMode.Attempt, night), (assignment.Activate, assignment.MaintenanceWindow));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Metrics_batches_are_acked_exactly_once_and_malformed_ones_named(Provider provider)
    {
        await using FleetApiFixture f = await FleetApiFixture.StartAsync(provider, cluster, devices: 1);
        TestDevice device = f.Devices[0];
        string path = $"/v1/devices/{device.Id}/metrics:batch";

        async Task<HttpResponseMessage> SendAsync(MetricsBatch batch) =>
            await device.SendSignedAsync(HttpMethod.Post, path, Json(batch, FleetJsonContext.Default.MetricsBatch));

        HttpResponseMessage first = await SendAsync(MetricsFixture.Batch(7, 0, 2));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(new MetricsAck(2, 3), await first.Content.ReadFromJsonAsync(FleetJsonContext.Default.MetricsAck));
        Assert.Equal(new MetricsAck(2, 0), await (await SendAsync(MetricsFixture.Batch(7, 0, 2))).Content.ReadFromJsonAsync(FleetJsonContext.Default.MetricsAck));
        Assert.Equal(new MetricsAck(4, 2), await (await SendAsync(MetricsFixture.Batch(7, 1, 4))).Content.ReadFromJsonAsync(FleetJsonContext.Default.MetricsAck));

        MetricsBatch malformed = MetricsFixture.Batch(7, 5, 5) with { LastSeq = 6 };
        HttpResponseMessage refused = await SendAsync(malformed);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("body.lastSeq: 6 is not records[0].seq (5)", await DetailAsync(refused));

        IReadOnlyList<VersionAggregate> versions = (await f.Viewer.GetFromJsonAsync("/v1/metrics/versions", MetricsJsonContext.Default.IReadOnlyListVersionAggregate))!;
        Assert.Equal((5L, 500L, 35.0), (versions.Single().Windows, versions.Single().Inferences, versions.Single().P95LatencyMs!.Value));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task The_servers_own_evaluator_assigns_on_its_next_tick(Provider provider)
    {
        await using FleetApiFixture f = await FleetApiFixture.StartAsync(provider, cluster, devices: 2);
        TestServer server = f.Server;
        RolloutView rollout = (await (await f.PostRolloutAsync(server.Admin, TwoStages())).Content.ReadFromJsonAsync(FleetJsonContext.Default.RolloutView))!;
        string canaryId = StageSplit.Split(rollout.Id, f.Devices.ConvertAll(d => d.Id), rollout.Request.Stages)[0][0];
        TestDevice canary = f.Devices.Single(d => d.Id == canaryId);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // The evaluator's timer runs on the server's (fake) clock, so the test moves the clock until a tick assigns.
        DesiredState desired;
        do
        {
            server.Time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(50, timeout.Token);
            desired = await DesiredAsync(server, canary);
        }
        while (desired.Assignment is null);

        Assert.Equal((rollout.Id, "1.1.0"), (desired.Assignment.RolloutId, desired.Assignment.Version));
        RolloutView view = (await f.Viewer.GetFromJsonAsync($"/v1/rollouts/{rollout.Id}", FleetJsonContext.Default.RolloutView))!;
        Assert.Equal(1, view.Stages[0].Assigned);
    }
}
