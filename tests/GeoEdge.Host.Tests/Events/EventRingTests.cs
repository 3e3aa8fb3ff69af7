using GeoEdge.Host.Events;

namespace GeoEdge.Host.Tests.Events;

[Trait("Category", "Unit")]
public sealed class EventRingTests
{
    internal static DeviceEvent Event(int i, DeviceEventKind kind = DeviceEventKind.Classification) =>
        new(DateTimeOffset.UnixEpoch.AddSeconds(i), "shapes", "shapes-dgcnn", "1.0.0", kind, Label: $"label{i}", Probability: i / 100.0, LatencyUs: i * 10);

    [Fact]
    public void Snapshot_is_newest_first_and_holds_only_the_last_capacity_events()
    {
        var ring = new EventRing(capacity: 4);
        for (int i = 1; i <= 6; i++)
        {
            ring.Publish(Event(i));
        }

        Assert.Equal(["label6", "label5", "label4", "label3"], ring.Snapshot().Select(e => e.Label));
        Assert.Equal(["label6", "label5"], ring.Snapshot(2).Select(e => e.Label));
        Assert.Empty(ring.Snapshot(0));
        Assert.Equal(6, ring.Published);
    }

    [Fact]
    public void A_partly_filled_ring_returns_what_it_has()
    {
        var ring = new EventRing(capacity: 8);
        ring.Publish(Event(1));
        ring.Publish(Event(2));
        Assert.Equal(["label2", "label1"], ring.Snapshot(5).Select(e => e.Label));
    }

    [Fact]
    public async Task A_subscriber_receives_events_published_after_it_subscribed_in_order()
    {
        var ring = new EventRing(capacity: 4);
        ring.Publish(Event(0));
        using EventSubscription sub = ring.Subscribe();
        ring.Publish(Event(1));
        ring.Publish(Event(2));

        Assert.Equal("label1", (await sub.Reader.ReadAsync()).Label);
        Assert.Equal("label2", (await sub.Reader.ReadAsync()).Label);
        Assert.False(sub.Reader.TryRead(out _));
        Assert.Equal(0, sub.Dropped);
    }

    [Fact]
    public void A_slow_subscriber_loses_its_oldest_events_counts_them_and_never_blocks_the_publisher()
    {
        var ring = new EventRing(capacity: 16, subscriptionCapacity: 3);
        using EventSubscription slow = ring.Subscribe();
        using EventSubscription other = ring.Subscribe();
        for (int i = 1; i <= 10; i++)
        {
            ring.Publish(Event(i));
        }

        Assert.Equal(7, slow.Dropped);
        var kept = new List<string?>();
        while (slow.Reader.TryRead(out DeviceEvent e))
        {
            kept.Add(e.Label);
        }

        Assert.Equal(["label8", "label9", "label10"], kept);
        Assert.Equal(7, other.Dropped);
        Assert.Equal(10, ring.Snapshot().Length);
    }

    [Fact]
    public void Disposing_a_subscription_completes_its_reader_and_stops_delivery()
    {
        var ring = new EventRing();
        EventSubscription sub = ring.Subscribe();
        Assert.Equal(1, ring.SubscriberCount);
        sub.Dispose();
        ring.Publish(Event(1));
        Assert.Equal(0, ring.SubscriberCount);
        Assert.True(sub.Reader.Completion.IsCompleted);
        Assert.False(sub.Reader.TryRead(out _));
    }

    [Fact]
    public void Concurrent_publishers_lose_no_event()
    {
        var ring = new EventRing(capacity: 4000);
        Parallel.For(0, 4, t =>
        {
            for (int i = 0; i < 1000; i++)
            {
                ring.Publish(Event((t * 1000) + i));
            }
        });

        Assert.Equal(4000, ring.Published);
        Assert.Equal(4000, ring.Snapshot().Select(e => e.Label).Distinct().Count());
    }

    [Fact]
    public void Event_sinks_fan_out_to_every_sink()
    {
        var a = new EventRing();
        var b = new EventRing();
        IEventSink sinks = new EventSinks(a, b);
        sinks.Publish(Event(7));
        Assert.Equal("label7", a.Snapshot()[0].Label);
        Assert.Equal("label7", b.Snapshot()[0].Label);
    }
}
