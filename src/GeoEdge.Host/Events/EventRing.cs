using System.Threading.Channels;

namespace GeoEdge.Host.Events;

/// <summary>The most recent events in memory (bounded, oldest overwritten) and live subscriptions for streaming them.</summary>
/// <remarks>Publishing never waits for a reader: each subscription has a bounded channel that drops its oldest event
/// when its reader falls behind, and counts what it dropped.</remarks>
public sealed class EventRing : IEventSink
{
    private readonly DeviceEvent[] _events;
    private readonly Lock _gate = new();
    private readonly int _subscriptionCapacity;
    private int _next;
    private int _count;
    private long _published;
    private EventSubscription[] _subscriptions = [];

    public EventRing(int capacity = 256, int subscriptionCapacity = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(subscriptionCapacity, 1);
        _events = new DeviceEvent[capacity];
        _subscriptionCapacity = subscriptionCapacity;
    }

    public int Capacity => _events.Length;

    /// <summary>Events published since start (including those the ring no longer holds).</summary>
    public long Published => Interlocked.Read(ref _published);

    public int SubscriberCount => Volatile.Read(ref _subscriptions).Length;

    public void Publish(in DeviceEvent e)
    {
        EventSubscription[] subscribers;
        lock (_gate)
        {
            _events[_next] = e;
            _next = (_next + 1) % _events.Length;
            _count = Math.Min(_count + 1, _events.Length);
            _published++;
            subscribers = _subscriptions;
        }

        foreach (EventSubscription s in subscribers)
        {
            s.Offer(e);
        }
    }

    /// <summary>Up to <paramref name="limit"/> events, newest first.</summary>
    public DeviceEvent[] Snapshot(int limit = int.MaxValue)
    {
        lock (_gate)
        {
            int n = Math.Clamp(limit, 0, _count);
            var result = new DeviceEvent[n];
            for (int i = 0; i < n; i++)
            {
                result[i] = _events[(_next - 1 - i + (2 * _events.Length)) % _events.Length];
            }

            return result;
        }
    }

    /// <summary>A live feed of events published from now on; dispose it to stop receiving.</summary>
    public EventSubscription Subscribe()
    {
        var subscription = new EventSubscription(this, _subscriptionCapacity);
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }

        return subscription;
    }

    internal void Unsubscribe(EventSubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = Array.FindAll(_subscriptions, s => !ReferenceEquals(s, subscription));
        }
    }
}

/// <summary>One reader's live feed from an <see cref="EventRing"/>: a bounded channel that drops the oldest event for a slow reader.</summary>
public sealed class EventSubscription : IDisposable
{
    private readonly EventRing _ring;
    private readonly Channel<DeviceEvent> _channel;
    private long _dropped;

    internal EventSubscription(EventRing ring, int capacity)
    {
        _ring = ring;
        _channel = Channel.CreateBounded<DeviceEvent>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false },
            _ => Interlocked.Increment(ref _dropped));
    }

    public ChannelReader<DeviceEvent> Reader => _channel.Reader;

    /// <summary>Events this reader lost because it did not keep up.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Dispose()
    {
        _ring.Unsubscribe(this);
        _channel.Writer.TryComplete();
    }

    internal void Offer(in DeviceEvent e) => _channel.Writer.TryWrite(e);
}
