using GeoEdge.Host.Events;
using GeoEdge.Sensors.Gpio;

namespace GeoEdge.Host.Service;

/// <summary>The "alarm" sink: raises the GPIO alarm pin on an anomaly or an out-of-distribution input (the pin's hold time
/// and debounce live in <see cref="AlarmOutput"/>).</summary>
internal sealed class AlarmEventSink(AlarmOutput alarm) : IEventSink
{
    public void Publish(in DeviceEvent e)
    {
        if (e.Kind is DeviceEventKind.Anomaly or DeviceEventKind.Ood)
        {
            alarm.Raise(e.Kind == DeviceEventKind.Anomaly ? $"{e.Pipeline}: anomaly" : $"{e.Pipeline}: out of distribution");
        }
    }
}
