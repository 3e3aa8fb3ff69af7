using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Tests.Storage;
using GeoEdge.Host.Fleet;
using GeoEdge.IntegrationTests.Support;

namespace GeoEdge.IntegrationTests.Scenarios;

/// <summary>Issue 7, part 7: with the server's answer lost, the server stopped and restarted during uploads, and the
/// device SIGKILLed mid-batch and restarted, every metrics window the device closed is stored exactly once — no
/// (device, epoch, seq) gap below what the device saw acknowledged, no duplicate, nothing dropped. SQLite and PostgreSQL.</summary>
[Collection(DatabaseCollection.Name)]
[Trait("Category", "Fault")]
public sealed class MetricsExactlyOnceTests(PostgresCluster cluster)
{
    private const string Batch = "/metrics:batch";

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Every_closed_window_arrives_exactly_once_through_lost_acks_server_restarts_and_device_kills(Provider provider)
    {
        await using FleetScenario fleet = await FleetScenario.StartAsync(provider, cluster);
        await fleet.StartDeviceAsync(metricsWindowSeconds: 1);
        string deviceId = await fleet.WaitForEnrollmentAsync();
        await StoredAtLeastAsync(fleet, deviceId, 4);

        // 1. The server stores a batch but its answer never reaches the device: the device sends it again.
        Fault lostAck = fleet.Proxy.Arm("POST", Batch, FaultKind.CutAfterServerAnswered);
        await Eventually.TrueAsync("an acknowledgement is lost", () => lostAck.Triggered.Task.IsCompleted, fleet.DeviceOutput);
        await StoredAtLeastAsync(fleet, deviceId, await CountAsync(fleet, deviceId) + 2);

        // 2. The server stops while the device keeps closing and trying to upload windows, then starts over the same data.
        int refusedBefore = DownAttempts(fleet);
        await fleet.RestartServerAsync(() => Eventually.TrueAsync("uploads meet the stopped server",
            () => DownAttempts(fleet) >= refusedBefore + 2, fleet.DeviceOutput));
        await StoredAtLeastAsync(fleet, deviceId, await CountAsync(fleet, deviceId) + 2);

        // 3. The device is SIGKILLed while a batch is in flight (the server stored it; the device never heard), restarted.
        Fault held = fleet.Proxy.Arm("POST", Batch, FaultKind.HoldAfterServerAnswered);
        await Eventually.TrueAsync("a batch is in flight", () => held.Triggered.Task.IsCompleted, fleet.DeviceOutput);
        fleet.Device!.Kill();
        held.Release();
        int beforeRestart = await CountAsync(fleet, deviceId);
        fleet.RestartDevice();
        await StoredAtLeastAsync(fleet, deviceId, beforeRestart + 4);
        fleet.Device!.Kill();

        // What the device closed: every seq its queue numbered in its epoch; what it still holds: not acknowledged yet.
        (long epoch, long nextSeq, List<MetricsWindow> queued) = ReadQueue(fleet);
        List<StoredWindow> stored = await fleet.Server.StoredWindowsAsync(deviceId);

        Assert.All(stored, w => Assert.Equal(1, w.Rows));
        Assert.All(stored, w => Assert.Equal(epoch, w.Epoch));
        Assert.All(stored, w => Assert.Equal(w.Seq, w.Window.Seq));
        var storedSeqs = stored.Select(w => w.Seq).ToHashSet();
        var heldSeqs = queued.Select(w => w.Seq).ToHashSet();
        long ackedThrough = queued.Count > 0 ? queued[0].Seq - 1 : nextSeq - 1;
        for (long seq = 1; seq < nextSeq; seq++)
        {
            Assert.True(storedSeqs.Contains(seq) || (seq > ackedThrough && heldSeqs.Contains(seq)),
                $"window {seq} of {nextSeq - 1} is neither stored nor still queued on the device (acked through {ackedThrough})");
        }

        Assert.All(storedSeqs, seq => Assert.InRange(seq, 1, nextSeq - 1));
        Assert.All(stored, w => Assert.Equal(0, w.Window.DroppedBefore));
        Assert.All(queued, w => Assert.Equal(0, w.DroppedBefore));

        // The faults hit what they aimed at: after the lost answer and after the kill, the device sent windows the server
        // already had again (a replay the unique key absorbed), and uploads met the stopped server.
        List<ProxiedExchange> batches = fleet.Proxy.Matching("POST", Batch);
        AssertResentAfter(batches, FaultKind.CutAfterServerAnswered);
        AssertResentAfter(batches, FaultKind.HoldAfterServerAnswered);
        Assert.True(DownAttempts(fleet) >= 2);
    }

    private static void AssertResentAfter(List<ProxiedExchange> batches, FaultKind kind)
    {
        int cut = batches.FindIndex(e => e.Fault == kind.ToString());
        Assert.True(cut >= 0, $"no batch met {kind}");
        MetricsBatch lost = Parse(batches[cut]);
        ProxiedExchange next = batches.Skip(cut + 1).First(e => e.Status == 200);
        Assert.InRange(Parse(next).FirstSeq, 1, lost.LastSeq);
    }

    private static MetricsBatch Parse(ProxiedExchange exchange) =>
        System.Text.Json.JsonSerializer.Deserialize(exchange.RequestBody, FleetJsonContext.Default.MetricsBatch)!;

    private static int DownAttempts(FleetScenario fleet) => fleet.Proxy.Matching("POST", Batch).Count(e => e.Status == 0);

    private static async Task<int> CountAsync(FleetScenario fleet, string deviceId) => (await fleet.Server.StoredWindowsAsync(deviceId)).Count;

    private static Task StoredAtLeastAsync(FleetScenario fleet, string deviceId, int count) =>
        Eventually.ValueAsync($"{count} metric windows stored", async () =>
        {
            int n = await CountAsync(fleet, deviceId);
            return (n >= count, n, $"{n} stored\n{fleet.DeviceOutput()}");
        });

    /// <summary>The killed device's metrics queue, read without changing it.</summary>
    private static (long Epoch, long NextSeq, List<MetricsWindow> Queued) ReadQueue(FleetScenario fleet)
    {
        MetricsQueue queue = MetricsQueue.Inspect(fleet.Config!.FleetState("metrics"));
        return (queue.Epoch, queue.NextSeq, [.. queue.Peek(queue.Count)]);
    }
}
