namespace GeoEdge.Host.Events;

/// <summary>Where pipelines publish what they see: the one interface every sink (ring, log, GPIO alarm, fleet queue) implements.</summary>
/// <remarks>Publish is called on the pipeline's thread: it must not block on I/O it cannot bound and must not throw for a
/// failure of its own medium (a full disk is counted, not propagated into the pipeline).</remarks>
public interface IEventSink
{
    void Publish(in DeviceEvent e);
}
