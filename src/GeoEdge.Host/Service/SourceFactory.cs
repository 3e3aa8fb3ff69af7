using System.Net;
using GeoEdge.Host.Configuration;
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

    public static GeoEdge.Sensors.Sources.ISensorSource Sensors(SourceOptions s, TimeProvider time) => s.Kind switch
    {
        "replay" => new SensorCsvReplay(s.Path!, new ReplayOptions(s.RateHz, s.Loop), time),
        _ => throw new DeviceStartException($"source kind '{s.Kind}' is not wired yet"),
    };

    public static string Describe(SourceOptions s) => s.Kind switch
    {
        "replay" => $"replay {s.Path} at {s.RateHz} Hz{(s.Loop ? ", looping" : string.Empty)}",
        "udp" => $"udp {s.Address}:{s.Port}",
        _ => s.Kind,
    };
}
