using System.Net;
using System.Net.Http.Json;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Rollouts;
using GeoEdge.FleetServer.Tests.Metrics;
using GeoEdge.FleetServer.Tests.Rollouts;
using GeoEdge.FleetServer.Tests.Storage;
using GeoEdge.FleetServer.Tests.Support;
using static GeoEdge.FleetServer.Tests.Rollouts.FleetApiFixture;

namespace GeoEdge.FleetServer.Tests.Dashboard;

/// <summary>The fleet dashboard in a real browser over a real server: a halted rollout, its devices, models and charts.</summary>
[Collection(DatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DashboardTests(PostgresCluster cluster)
{
    [Fact]
    public async Task The_page_shows_devices_models_a_halted_rollout_and_version_charts()
    {
        Assert.True(File.Exists(HeadlessChromium.Binary), $"{HeadlessChromium.Binary} is missing: ./build.sh test installs the 'chromium' package");
        await using FleetApiFixture f = await FleetApiFixture.StartAsync(Provider.Sqlite, cluster, devices: 3);
        TestServer server = f.Server;
        HttpResponseMessage created = await f.PostRolloutAsync(server.Admin, new RolloutRequest("shapes-dgcnn", "1.0.0", "1.1.0", new TargetSelector(),
            [RolloutFixture.Stage("canary", null) with { Count = 1, MinDevices = 1 }, RolloutFixture.Stage("rest", null)]));
        RolloutView rollout = (await created.Content.ReadFromJsonAsync(FleetJsonContext.Default.RolloutView))!;
        var evaluation = new RolloutEvaluation(server.App.Store);
        await evaluation.RunAsync(rollout.Id, CancellationToken.None);
        TestDevice canary = f.Devices.Single(d => d.Id == StageSplit.Split(rollout.Id, f.Devices.ConvertAll(x => x.Id), rollout.Request.Stages)[0][0]);
        await canary.SendSignedAsync(HttpMethod.Post, $"/v1/devices/{canary.Id}/metrics:batch", Json(MetricsFixture.Batch(1, 0, 2), FleetJsonContext.Default.MetricsBatch));
        string action = (await DesiredAsync(server, canary)).Assignment!.ActionId;
        Assert.Equal(HttpStatusCode.NoContent, (await ReportAsync(server, canary, action, "k1", new ActionStatusReport(1, server.Time.GetUtcNow(), ActionStatus.Failed, Code: "self_test"))).StatusCode);
        await evaluation.RunAsync(rollout.Id, CancellationToken.None);

        HttpResponseMessage page = await server.Api.GetAsync("/");
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType!.ToString());
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        CancellationToken ct = timeout.Token;
        await using HeadlessChromium browser = await HeadlessChromium.OpenAsync(new Uri(server.App.ApiAddress!, "/?token=" + f.ViewerToken), ct);
        while (await browser.EvaluateAsync("String(document.body && document.body.dataset.state)", ct) != "loaded")
        {
            await Task.Delay(100, ct);
        }

        // The token moved from the URL into this tab's sessionStorage.
        Assert.Equal("", await browser.EvaluateAsync("location.search", ct));
        Assert.Equal(f.ViewerToken, await browser.EvaluateAsync("sessionStorage.getItem('geoedge.fleet.token')", ct));

        Assert.Equal("3", await browser.EvaluateAsync("String(document.querySelectorAll('#devices tbody tr').length)", ct));
        Assert.Equal("updating", await browser.EvaluateAsync($"document.querySelector('#devices tr[data-device=\"{canary.Id}\"]').dataset.status", ct));
        Assert.Equal("1.0.0,1.1.0", await browser.EvaluateAsync("[...document.querySelectorAll('#models tbody tr')].map(r => r.dataset.version).sort().join()", ct));

        string r = $"#rollouts .rollout[data-rollout=\"{rollout.Id}\"]";
        Assert.Equal("halted", await browser.EvaluateAsync($"document.querySelector('{r}').dataset.state", ct));
        Assert.Equal("stage 'canary': 1 of 1 finished devices failed (100%) > errorPct 20 (failed 1, rolled_back 0, timed_out 0, rejected 0)",
            await browser.EvaluateAsync($"document.querySelector('{r} .halt-reason').textContent", ct));
        Assert.Equal("halted|1|100%", await browser.EvaluateAsync(
            $"(s => s.dataset.state + '|' + s.querySelector('.seg-bad').dataset.count + '|' + s.querySelector('.seg-bad').style.width)(document.querySelector('{r} .stage[data-stage=\"canary\"]'))", ct));
        Assert.Equal("waiting", await browser.EvaluateAsync($"document.querySelector('{r} .stage[data-stage=\"rest\"]').dataset.state", ct));

        // Three windows of 100 inferences each: latency buckets 50/40/10/0 per window, confidence bins summed.
        const string Svg = "svg.chart[data-version=\"shapes-dgcnn 1.1.0\"]";
        Assert.Equal("150,120,30,0", await browser.EvaluateAsync($"[...document.querySelectorAll('{Svg}[data-kind=latency] rect')].map(x => x.dataset.value).join()", ct));
        Assert.Equal("0,0,0,0,0,30,30,60,90,90", await browser.EvaluateAsync($"[...document.querySelectorAll('{Svg}[data-kind=confidence] rect')].map(x => x.dataset.value).join()", ct));
        Assert.Equal("0.05", await browser.EvaluateAsync($"document.querySelector('{Svg}[data-kind=ood] rect').dataset.value", ct));
        Assert.Equal("0.25,0.25", await browser.EvaluateAsync($"[...document.querySelectorAll('{Svg}[data-kind=drift] rect')].map(x => x.dataset.value).join()", ct));

        // Nothing was fetched from anywhere but this server.
        Assert.Equal("", await browser.EvaluateAsync("performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin)).join()", ct));

        // Without a token the page asks for one instead of calling the API.
        Assert.Equal("no-token", await browser.EvaluateAsync("sessionStorage.clear(); refresh(); document.body.dataset.state", ct));
    }
}
