using System.Net;

namespace GeoEdge.Sensors.Udp;

/// <summary>Where a <see cref="UdpPointStream"/> listens and how long it waits for the rest of a frame.</summary>
/// <param name="Address">Local address to bind (IPAddress.Any for all interfaces, IPAddress.Loopback for local senders).</param>
/// <param name="Port">Local UDP port; 0 picks a free one (see <see cref="UdpPointStream.LocalEndPoint"/>).</param>
/// <param name="FrameTimeout">An incomplete frame without a new packet for this long is counted lost.</param>
/// <param name="MaxPointsPerFrame">Frames announcing more points are refused as malformed.</param>
public sealed record UdpPointStreamOptions(IPAddress Address, int Port, TimeSpan FrameTimeout, int MaxPointsPerFrame = 1 << 20)
{
    /// <summary>Listens on all interfaces at <paramref name="port"/> with a 1 s frame timeout.</summary>
    public static UdpPointStreamOptions Any(int port) => new(IPAddress.Any, port, TimeSpan.FromSeconds(1));
}
