using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using GeoEdge.Geometry;

namespace GeoEdge.Sensors.Udp;

/// <summary>Sends point clouds as UDP point packets (docs/udp-point-stream.md), optionally dropping packets on purpose.</summary>
/// <remarks>
/// Used by tests and bench/tools/udp-sender to feed a <see cref="UdpPointStream"/>. Injected loss drops each
/// packet with the given probability from a seeded generator, so a run is repeatable. Disposal: the sender owns
/// its socket.
/// </remarks>
public sealed class UdpPointSender : IDisposable
{
    private readonly UdpClient _client = new();
    private readonly IPEndPoint _target;
    private readonly double _lossProbability;
    private readonly Random _random;

    /// <param name="target">Where the stream listens.</param>
    /// <param name="lossProbability">Chance in [0, 1) that a packet is not sent.</param>
    /// <param name="seed">Seed of the loss generator.</param>
    public UdpPointSender(IPEndPoint target, double lossProbability = 0, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!(lossProbability >= 0 && lossProbability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(lossProbability), lossProbability, "loss probability must lie in [0, 1)");
        }

        _target = target;
        _lossProbability = lossProbability;
        _random = new Random(seed);
    }

    /// <summary>Packets sent so far.</summary>
    public long PacketsSent { get; private set; }

    /// <summary>Packets dropped on purpose so far.</summary>
    public long PacketsDropped { get; private set; }

    /// <summary>Sends one frame; the intensity channel (float32) goes along when the cloud has one and <paramref name="intensity"/> is true.</summary>
    public async ValueTask SendFrameAsync(uint frameId, PointCloud cloud, bool intensity = true, CancellationToken cancellationToken = default)
    {
        foreach (byte[] packet in Packets(frameId, cloud, intensity))
        {
            if (_lossProbability > 0 && _random.NextDouble() < _lossProbability)
            {
                PacketsDropped++;
                continue;
            }

            await _client.SendAsync(packet, _target, cancellationToken).ConfigureAwait(false);
            PacketsSent++;
        }
    }

    /// <summary>The datagrams of one frame, in point order, each at most <see cref="UdpPointPacketHeader.MaxDatagram"/> bytes.</summary>
    public static IReadOnlyList<byte[]> Packets(uint frameId, PointCloud cloud, bool intensity = true)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        if (cloud.Count == 0)
        {
            throw new ArgumentException("an empty cloud has no packets (the format has no empty frame)", nameof(cloud));
        }

        ReadOnlySpan<float> intensities = default;
        if (intensity && cloud.FindAttribute("intensity") is { } channel)
        {
            if (channel.Field.Type != ScalarType.Float32 || channel.Field.Count != 1)
            {
                throw new ArgumentException($"intensity is {channel.Field.Type} x{channel.Field.Count}; the stream carries one float32", nameof(cloud));
            }

            intensities = channel.AsSpan<float>();
        }

        bool withIntensity = !intensities.IsEmpty;
        byte flags = withIntensity ? UdpPointPacketHeader.IntensityFlag : (byte)0;
        int perPacket = UdpPointPacketHeader.MaxPointsPerPacket(withIntensity);
        int stride = withIntensity ? 16 : 12;
        var packets = new List<byte[]>((cloud.Count + perPacket - 1) / perPacket);
        for (int first = 0; first < cloud.Count; first += perPacket)
        {
            int count = Math.Min(perPacket, cloud.Count - first);
            var packet = new byte[UdpPointPacketHeader.Size + (count * stride)];
            new UdpPointPacketHeader(flags, frameId, (uint)cloud.Count, (uint)first, (ushort)count).Write(packet);
            Span<byte> body = packet.AsSpan(UdpPointPacketHeader.Size);
            for (int p = 0; p < count; p++)
            {
                Span<byte> point = body.Slice(p * stride, stride);
                int i = first + p;
                BinaryPrimitives.WriteSingleLittleEndian(point, cloud.Positions[i * 3]);
                BinaryPrimitives.WriteSingleLittleEndian(point[4..], cloud.Positions[(i * 3) + 1]);
                BinaryPrimitives.WriteSingleLittleEndian(point[8..], cloud.Positions[(i * 3) + 2]);
                if (withIntensity)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(point[12..], intensities[i]);
                }
            }

            packets.Add(packet);
        }

        return packets;
    }

    public void Dispose() => _client.Dispose();
}
