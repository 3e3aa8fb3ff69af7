using GeoEdge.Host.Fleet;
using GeoEdge.Host.Tests.Models;

namespace GeoEdge.Host.Tests.Fleet;

[Trait("Category", "Integration")]
public sealed class FleetCommandTests
{
    [Fact]
    public async Task Fleet_status_prints_the_enrolled_id_the_last_desired_version_and_the_queues()
    {
        await using OtaHarness h = await OtaHarness.CreateAsync();
        h.Fleet.Server.Desired = new GeoEdge.Fleet.Contracts.DesiredState(5, 30, h.Assignment);
        using FleetClient client = h.Fleet.NewClient(h.Fleet.Server.Address);
        var reconciler = new Reconciler(client, h.NewFlow(), new PlanRunner(Backoff.Default, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance),
            new StateReporter(client, h.Store, "dev-x64", "9.9.9", null), h.Fleet.Files, 60, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        await reconciler.ReconcileOnceAsync(CancellationToken.None);
        File.WriteAllText(h.Fleet.Files.Identity, """{"deviceId":"dev-1","certPem":"","caPem":""}""");
        MetricsQueue queue = MetricsQueue.Open(h.Fleet.Files.Metrics, 10, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        queue.Append(FleetClientTests.Window(0));
        queue.Append(FleetClientTests.Window(0));

        CliResult result = CliRunner.Run("fleet", "status", "--state", h.Fleet.StateDirectory);

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("device:   dev-1 (enrolled)", lines[0]);
        Assert.Equal($"desired:  version 5: 200 a1 ({StoreFixtures.Shapes} {OtaHarness.Target}): active", lines[1]);
        Assert.Equal($"action:   a1 {StoreFixtures.Shapes} {OtaHarness.Target}: Done, last status active", lines[2]);
        Assert.Equal("outbox:   0 status(es) waiting", lines[3]);
        Assert.Equal($"metrics:  2 window(s) queued (epoch {queue.Epoch}, next seq 3)", lines[4]);
    }

    [Fact]
    public void Fleet_status_of_a_device_that_never_enrolled()
    {
        using var dir = new TempDirectory();

        CliResult result = CliRunner.Run("fleet", "status", "--state", dir.Path);

        Assert.Equal(["device:   not enrolled", "desired:  none received", "outbox:   0 status(es) waiting", "metrics:  no queue"], result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
