using System.Net;
using System.Net.Http.Json;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Rollouts;
using GeoEdge.FleetServer.Tests.Rollouts;
using GeoEdge.FleetServer.Tests.Storage;
using GeoEdge.FleetServer.Tests.Support;
using static GeoEdge.FleetServer.Tests.Rollouts.FleetApiFixture;

namespace GeoEdge.FleetServer.Tests.Metrics;

[Collection(DatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class FleetMetricsEndpointTests(PostgresCluster cluster)
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Metrics_needs_a_viewer_token_and_counts_devices_rollouts_windows_and_requests(Provider provider)
    {
        await using FleetApiFixture f = await FleetApiFixture.StartAsync(provider, cluster, devices: 3);
        TestServer server = f.Server;
        HttpResponseMessage created = await f.PostRolloutAsync(server.Admin, new RolloutRequest("shapes-dgcnn", "1.0.0", "1.1.0", new TargetSelector(),
            [RolloutFixture.Stage("canary", null) with { Count = 1 }, RolloutFixture.Stage("rest", null)]));
        RolloutView rollout = (await created.Content.ReadFromJsonAsync(FleetJsonContext.Default.RolloutView))!;
        await new RolloutEvaluation(server.App.Store).RunAsync(rollout.Id, CancellationToken.None);
        TestDevice canary = f.Devices.Single(d => d.Id == StageSplit.Split(rollout.Id, f.Devices.ConvertAll(x => x.Id), rollout.Request.Stages)[0][0]);
        string action = (await DesiredAsync(server, canary)).Assignment!.ActionId;
        await ReportAsync(server, canary, action, "k1", new ActionStatusReport(1, server.Time.GetUtcNow(), ActionStatus.Downloading));
        await canary.SendSignedAsync(HttpMethod.Post, $"/v1/devices/{canary.Id}/metrics:batch", Json(MetricsFixture.Batch(1, 0, 2), FleetJsonContext.Default.MetricsBatch));

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Api.GetAsync("/metrics")).StatusCode);
        HttpResponseMessage scrape = await f.Viewer.GetAsync("/metrics");
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", scrape.Content.Headers.ContentType!.ToString());
        Dictionary<string, double> s = PrometheusScrape.Parse(await scrape.Content.ReadAsStringAsync());

        Assert.Equal(1, s["geoedge_fleet_devices{status=\"updating\"}"]);
        Assert.Equal(2, s["geoedge_fleet_devices{status=\"online\"}"]);
        Assert.Equal(1, s["geoedge_fleet_rollouts{state=\"running\"}"]);
        Assert.Equal(1, s[$"geoedge_fleet_rollout_stage_devices{{rollout=\"{rollout.Id}\",stage=\"canary\",status=\"assigned\"}}"]);
        Assert.Equal(1, s[$"geoedge_fleet_rollout_stage_devices{{rollout=\"{rollout.Id}\",stage=\"canary\",status=\"downloading\"}}"]);
        Assert.Equal(3, s["geoedge_fleet_metric_windows_ingested_total"]);
        Assert.Equal(1, s["geoedge_fleet_http_requests_total{route=\"/v1/devices/{id}/metrics:batch\",method=\"POST\",status=\"200\"}"]);
        Assert.Equal(1, s["geoedge_fleet_http_requests_total{route=\"/v1/rollouts\",method=\"POST\",status=\"201\"}"]);
        Assert.Equal(1, s["geoedge_fleet_http_requests_total{route=\"/metrics\",method=\"GET\",status=\"401\"}"]);
    }
}
