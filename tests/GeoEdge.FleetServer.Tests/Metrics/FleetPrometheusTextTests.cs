using GeoEdge.FleetServer.Metrics;

namespace GeoEdge.FleetServer.Tests.Metrics;

[Trait("Category", "Unit")]
public sealed class FleetPrometheusTextTests
{
    [Fact]
    public void Families_samples_and_escaped_labels()
    {
        var counter = new RequestCounter();
        counter.Count("/v1/rollouts", "POST", 201);
        counter.Count("/v1/rollouts", "POST", 201);
        counter.Count("/v1/rollouts", "GET", 200);
        var snapshot = new FleetMetricsSnapshot(
            new Dictionary<string, long> { ["online"] = 3, ["offline"] = 1 },
            new Dictionary<string, long> { ["running"] = 1 },
            [new StageDeviceCount("r-1", "can\"ary\\", "assigned", 2), new StageDeviceCount("r-1", "can\"ary\\", "active", 1)],
            42);

        string text = FleetPrometheusText.Write(snapshot, counter.Snapshot());
        Dictionary<string, double> s = PrometheusScrape.Parse(text);

        Assert.Equal(3, s["geoedge_fleet_devices{status=\"online\"}"]);
        Assert.Equal(1, s["geoedge_fleet_devices{status=\"offline\"}"]);
        Assert.Equal(1, s["geoedge_fleet_rollouts{state=\"running\"}"]);
        Assert.Equal(2, s["geoedge_fleet_rollout_stage_devices{rollout=\"r-1\",stage=\"can\\\"ary\\\\\",status=\"assigned\"}"]);
        Assert.Equal(42, s["geoedge_fleet_metric_windows_ingested_total"]);
        Assert.Equal(2, s["geoedge_fleet_http_requests_total{route=\"/v1/rollouts\",method=\"POST\",status=\"201\"}"]);
        Assert.Equal(1, s["geoedge_fleet_http_requests_total{route=\"/v1/rollouts\",method=\"GET\",status=\"200\"}"]);
        Assert.Equal(8, s.Count);
        Assert.Contains("# TYPE geoedge_fleet_metric_windows_ingested_total counter\n", text, StringComparison.Ordinal);
    }
}
