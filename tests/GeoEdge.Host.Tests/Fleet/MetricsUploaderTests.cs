using GeoEdge.Host.Fleet;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoEdge.Host.Tests.Fleet;

[Trait("Category", "Integration")]
public sealed class MetricsUploaderTests
{
    [Fact]
    public async Task Windows_are_deleted_only_once_acknowledged_and_a_4xx_drops_nothing()
    {
        await using FleetFixture f = await FleetFixture.StartAsync();
        using FleetClient client = f.NewClient(f.Server.Address, maxAttempts: 1);
        MetricsQueue queue = MetricsQueue.Open(Path.Combine(f.StateDirectory, "metrics"), 100, NullLogger.Instance);
        for (int i = 0; i < 3; i++)
        {
            queue.Append(FleetClientTests.Window(0));
        }

        var uploader = new MetricsUploader(client, queue, new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), new Random(1)), NullLogger.Instance)
        {
            RefusedPause = TimeSpan.FromMinutes(10),
        };
        f.Server.MetricsFailures.Enqueue(503);
        f.Server.MetricsFailures.Enqueue(400);

        TimeSpan? afterOverload = await uploader.UploadOnceAsync(CancellationToken.None);
        int afterOverloadCount = queue.Count;
        TimeSpan? afterRefusal = await uploader.UploadOnceAsync(CancellationToken.None);
        int afterRefusalCount = queue.Count;
        TimeSpan? afterSuccess = await uploader.UploadOnceAsync(CancellationToken.None);

        Assert.InRange(afterOverload!.Value, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
        Assert.Equal((3, TimeSpan.FromMinutes(10), 3), (afterOverloadCount, afterRefusal, afterRefusalCount));
        Assert.Null(afterSuccess);
        Assert.Equal(0, queue.Count);
        Assert.Equal([1L, 2, 3], f.Server.StoredMetrics.Select(w => w.Seq));
    }

    [Fact]
    public async Task A_batch_resent_after_a_lost_ack_is_stored_once()
    {
        await using FleetFixture f = await FleetFixture.StartAsync();
        string dir = Path.Combine(f.StateDirectory, "metrics");
        MetricsQueue queue = MetricsQueue.Open(dir, 100, NullLogger.Instance);
        queue.Append(FleetClientTests.Window(0));
        queue.Append(FleetClientTests.Window(0));
        string copy = Path.Combine(f.Scratch, "metrics-before-upload");
        CopyDirectory(dir, copy);

        await new MetricsUploader(f.Client, queue, Backoff.Default, NullLogger.Instance).UploadOnceAsync(CancellationToken.None);
        Directory.Delete(dir, recursive: true);
        CopyDirectory(copy, dir); // the device died after the server stored the batch, before it deleted it
        MetricsQueue restarted = MetricsQueue.Open(dir, 100, NullLogger.Instance);
        await new MetricsUploader(f.Client, restarted, Backoff.Default, NullLogger.Instance).UploadOnceAsync(CancellationToken.None);

        Assert.Equal(0, restarted.Count);
        Assert.Equal([1L, 2], f.Server.StoredMetrics.Select(w => w.Seq));
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
