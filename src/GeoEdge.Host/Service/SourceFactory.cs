using System.Net;
using GeoEdge.Host.Configuration;
using System.Device.I2c;
using GeoEdge.Sensors.I2c;
using GeoEdge.Sensors.Replay;
using GeoEdge.Sensors.Udp;

namespace GeoEdge.Host.Service;

/// <summary>Makes the source a pipeline's config names; a point-cloud source or a sensor source decides the loop.</summary>
internal static class SourceFactory
{
    public static bool IsSensorSource(SourceOptions s) =>
        s.Kind == "sensors" || (s.Kind == "replay" && s.Path is not null && s.Path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase));

    public static GeoEdge.Sensors.Sources.IPointCloudSource PointClouds(SourceOptions s, TimeProvider time) => s.Kind switch
    {
        "replay" => new PointCloudReplay(s.Path!, new ReplayOptions(s.RateHz, s.Loop), time),
        "udp" => new UdpPointStream(new UdpPointStreamOptions(IPAddress.Parse(s.Address), s.Port!.Value, TimeSpan.FromSeconds(1)), time),
        _ => throw new DeviceStartException($"source kind '{s.Kind}' does not give point clouds"),
    };

    public static GeoEdge.Sensors.Sources.ISensorSource Sensors(SourceOptions s, IReadOnlyList<SensorOptions> sensors, DeviceHardware hardware, TimeProvider time) => s.Kind switch
    {
        "replay" => new SensorCsvReplay(s.Path!, new ReplayOptions(s.RateHz, s.Loop), time),
        "sensors" => Poller(sensors, hardware, time),
        _ => throw new DeviceStartException($"source kind '{s.Kind}' does not give sensor readings"),
    };

    /// <summary>The configured I2C sensors polled at their own periods, channels mapped onto sensor-graph nodes.</summary>
    private static SensorPoller Poller(IReadOnlyList<SensorOptions> sensors, DeviceHardware hardware, TimeProvider time)
    {
        var polled = new List<PolledSensor>(sensors.Count);
        foreach (SensorOptions o in sensors)
        {
            List<Ads1115Channel>? analog = null;
            if (o.Kind == "ads1115")
            {
                analog = [];
                foreach (string channel in o.Channels.Keys)
                {
                    analog.Add(new Ads1115Channel(channel, channel[^1] - '0', o.Scale.GetValueOrDefault(channel, 1), o.Offset.GetValueOrDefault(channel, 0)));
                }
            }

            I2cDevice device = hardware.OpenI2c(new I2cConnectionSettings(o.BusId, o.Address));
            polled.Add(new PolledSensor(o.Name, I2cSensorFactory.Create(o.Kind, device, analog, o.VibrationFrequencyHz), TimeSpan.FromMilliseconds(o.PeriodMs), o.Channels));
        }

        return new SensorPoller(polled, time);
    }

    public static string Describe(SourceOptions s) => s.Kind switch
    {
        "replay" => $"replay {s.Path} at {s.RateHz} Hz{(s.Loop ? ", looping" : string.Empty)}",
        "udp" => $"udp {s.Address}:{s.Port}",
        "sensors" => "the configured I2C sensors",
        _ => s.Kind,
    };
}
