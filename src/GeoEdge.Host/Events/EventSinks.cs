namespace GeoEdge.Host.Events;

/// <summary>Fans one event out to several sinks (a pipeline's configured "sinks" list).</summary>
public sealed class EventSinks : IEventSink
{
    private readonly IEventSink[] _sinks;

    public EventSinks(params IEnumerable<IEventSink> sinks)
    {
        _sinks = [.. sinks];
    }

    public void Publish(in DeviceEvent e)
    {
        foreach (IEventSink sink in _sinks)
        {
            sink.Publish(e);
        }
    }
}
