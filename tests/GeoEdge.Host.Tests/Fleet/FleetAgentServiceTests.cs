using GeoEdge.Fleet.Contracts;
using GeoEdge.Host.Configuration;
using GeoEdge.Host.Fleet;
using GeoEdge.Host.Tests.Models;
using GeoEdge.Inference.Pipelines;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoEdge.Host.Tests.Fleet;

[Trait("Category", "Integration")]
public sealed class FleetAgentServiceTests
{
    [Fact]
    public async Task The_agent_enrolls_converges_on_the_assignment_and_uploads_its_metrics_window()
    {
        await using OtaHarness h = await OtaHarness.CreateAsync();
        FakeFleetServer server = h.Fleet.Server;
        server.DeviceKey = null; // adopted from the CSR at enrollment
        server.DeviceId = "dev-9";
        server.Desired = new DesiredState(8, 1, h.Assignment);
        var options = new DeviceOptions
        {
            Board = new BoardOptions { Name = "dev-x64", Arch = "x64" },
            StateDirectory = h.Fleet.StateDirectory,
            Models = [new ModelOptions { Name = StoreFixtures.Shapes }],
            Fleet = new FleetOptions { ServerUrl = server.Address.ToString(), EnrollmentToken = "fleet-token-1", HwId = "hw-9", PollSeconds = 1, MetricsWindowSeconds = 1 },
        };
        var windows = new MetricsWindowAggregator(DateTimeOffset.UtcNow);
        windows.For(StoreFixtures.Shapes, OtaHarness.Target).RecordRejection(RejectionReason.TooFewPoints);
        using var agent = new FleetAgentService(options, h.Store, windows, TimeProvider.System, NullLogger<FleetAgentService>.Instance);

        await agent.StartAsync(CancellationToken.None);
        bool done = await WaitUntil(() => Reported(server) is { LastDesiredStatus.Code: 200 } && server.StoredMetrics.Count == 1);
        await agent.StopAsync(CancellationToken.None);

        Assert.True(done, $"reports: {server.Reports.Count}, metrics: {server.StoredMetrics.Count}, statuses: {string.Join(",", server.StatusNames)}");
        Assert.Equal("hw-9", server.Enrollments.Single().HwId);
        Assert.Equal(["downloading", "downloaded", "verifying", "installed", "activating", "active"], server.StatusNames);
        Assert.Equal(8L, Reported(server)!.LastDesiredVersion);
        Assert.Equal(OtaHarness.Target, h.Active);
        MetricsWindow window = server.StoredMetrics.Single();
        Assert.Equal((1L, OtaHarness.Target, 1L), (window.Seq, window.Version, window.Rejections["TooFewPoints"]));
        Assert.Empty(server.BadSignatures);
    }

    private static ReportedState? Reported(FakeFleetServer server)
    {
        lock (server.Reports)
        {
            return server.Reports.Count > 0 ? server.Reports[^1] : null;
        }
    }

    /// <summary>Waits for a condition the agent reaches on its own clock; the limit only bounds a broken run.</summary>
    private static async Task<bool> WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 1200 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        return condition();
    }
}
