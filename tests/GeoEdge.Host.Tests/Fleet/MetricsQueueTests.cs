using GeoEdge.Fleet.Contracts;
using GeoEdge.Host.Fleet;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoEdge.Host.Tests.Fleet;

[Trait("Category", "Unit")]
public sealed class MetricsQueueTests
{
    [Fact]
    public void Sequence_numbers_and_epoch_continue_across_a_reopen()
    {
        using var dir = new TempDirectory();
        MetricsQueue first = MetricsQueue.Open(dir.Path, 10, NullLogger.Instance);
        Append(first, 3);

        MetricsQueue second = MetricsQueue.Open(dir.Path, 10, NullLogger.Instance);
        MetricsWindow fourth = second.Append(FleetClientTests.Window(0));

        Assert.Equal(first.Epoch, second.Epoch);
        Assert.Equal(4L, fourth.Seq);
        Assert.Equal([1L, 2, 3, 4], second.Peek(10).Select(w => w.Seq));
    }

    [Fact]
    public void A_full_queue_drops_the_oldest_and_the_next_record_counts_them()
    {
        using var dir = new TempDirectory();
        MetricsQueue queue = MetricsQueue.Open(dir.Path, 3, NullLogger.Instance);

        Append(queue, 5);

        Assert.Equal([(3L, 0L), (4, 1), (5, 1)], queue.Peek(10).Select(w => (w.Seq, w.DroppedBefore)));
        Assert.Equal(2L, queue.Dropped);
        Assert.Equal([(3L, 0L), (4, 1), (5, 1)], MetricsQueue.Open(dir.Path, 3, NullLogger.Instance).Peek(10).Select(w => (w.Seq, w.DroppedBefore)));
    }

    [Fact]
    public void A_torn_tail_is_cut_at_open_and_numbering_goes_on_after_the_last_whole_record()
    {
        using var dir = new TempDirectory();
        MetricsQueue queue = MetricsQueue.Open(dir.Path, 10, NullLogger.Instance);
        Append(queue, 3);
        string log = Path.Combine(dir.Path, "queue.log");
        long whole = new FileInfo(log).Length;
        using (var file = new FileStream(log, FileMode.Open))
        {
            file.SetLength(whole - 20); // a kill in the middle of the third append
        }

        MetricsQueue reopened = MetricsQueue.Open(dir.Path, 10, NullLogger.Instance);
        MetricsWindow next = reopened.Append(FleetClientTests.Window(0));

        Assert.Equal([1L, 2, 3], reopened.Peek(10).Select(w => w.Seq));
        Assert.Equal(3L, next.Seq);
        Assert.Equal([1L, 2, 3], MetricsQueue.Open(dir.Path, 10, NullLogger.Instance).Peek(10).Select(w => w.Seq));
    }

    [Fact]
    public void Acknowledged_windows_are_gone_after_a_reopen_and_seq_does_not_restart()
    {
        using var dir = new TempDirectory();
        MetricsQueue queue = MetricsQueue.Open(dir.Path, 10, NullLogger.Instance);
        Append(queue, 3);

        queue.Ack(2);
        MetricsQueue reopened = MetricsQueue.Open(dir.Path, 10, NullLogger.Instance);
        long[] left = [.. reopened.Peek(10).Select(w => w.Seq)];
        reopened.Ack(3);
        MetricsQueue empty = MetricsQueue.Open(dir.Path, 10, NullLogger.Instance);

        Assert.Equal([3L], left);
        Assert.Equal((0, 4L), (empty.Count, empty.NextSeq));
        Assert.Equal(0, new FileInfo(Path.Combine(dir.Path, "queue.log")).Length);
    }

    private static void Append(MetricsQueue queue, int n)
    {
        for (int i = 0; i < n; i++)
        {
            queue.Append(FleetClientTests.Window(0));
        }
    }
}
