using System.Buffers.Binary;

namespace GeoEdge.Sensors.Udp;

/// <summary>The 20-byte little-endian header of one UDP point packet (docs/udp-point-stream.md).</summary>
/// <param name="Flags">Bit 0: every point carries an intensity float after x, y, z. Other bits are reserved (0).</param>
/// <param name="FrameId">Sender's frame number; wraps around at 2^32.</param>
/// <param name="TotalPoints">Points in the whole frame.</param>
/// <param name="FirstPoint">Index of this packet's first point in the frame.</param>
/// <param name="PointCount">Points in this packet.</param>
public readonly record struct UdpPointPacketHeader(byte Flags, uint FrameId, uint TotalPoints, uint FirstPoint, ushort PointCount)
{
    /// <summary>"GEUP" as a little-endian uint32.</summary>
    public const uint Magic = 0x50554547;

    public const byte CurrentVersion = 1;

    public const byte IntensityFlag = 0x01;

    public const int Size = 20;

    /// <summary>Largest datagram a sender writes: 1500-byte Ethernet MTU minus IPv4 (20) and UDP (8) headers, so packets never fragment.</summary>
    public const int MaxDatagram = 1472;

    public bool HasIntensity => (Flags & IntensityFlag) != 0;

    /// <summary>Bytes per point: 12 (x, y, z float32) or 16 with intensity.</summary>
    public int PointStride => HasIntensity ? 16 : 12;

    /// <summary>Most points one datagram carries for a stride: 121 without intensity, 90 with.</summary>
    public static int MaxPointsPerPacket(bool intensity) => (MaxDatagram - Size) / (intensity ? 16 : 12);

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        destination[4] = CurrentVersion;
        destination[5] = Flags;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[6..], FrameId);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[10..], TotalPoints);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[14..], FirstPoint);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[18..], PointCount);
    }

    /// <summary>Reads and checks a datagram's header against its length; <paramref name="error"/> says what is wrong otherwise.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out UdpPointPacketHeader header, out string? error)
    {
        header = default;
        if (datagram.Length < Size)
        {
            error = $"datagram of {datagram.Length} bytes is shorter than the {Size}-byte header";
            return false;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(datagram) != Magic)
        {
            error = "magic is not 'GEUP'";
            return false;
        }

        if (datagram[4] != CurrentVersion)
        {
            error = $"version {datagram[4]} is not {CurrentVersion}";
            return false;
        }

        header = new UdpPointPacketHeader(
            datagram[5],
            BinaryPrimitives.ReadUInt32LittleEndian(datagram[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(datagram[10..]),
            BinaryPrimitives.ReadUInt32LittleEndian(datagram[14..]),
            BinaryPrimitives.ReadUInt16LittleEndian(datagram[18..]));
        error = header.Check(datagram.Length);
        return error is null;
    }

    private string? Check(int datagramLength)
    {
        if ((Flags & ~IntensityFlag) != 0)
        {
            return $"reserved flag bits set (0x{Flags:x2})";
        }

        if (TotalPoints == 0 || PointCount == 0)
        {
            return $"frame {FrameId}: empty packet (total {TotalPoints}, count {PointCount})";
        }

        if ((ulong)FirstPoint + PointCount > TotalPoints)
        {
            return $"frame {FrameId}: points {FirstPoint}..{(ulong)FirstPoint + PointCount - 1} lie beyond the frame's {TotalPoints}";
        }

        long expected = Size + ((long)PointCount * PointStride);
        return expected == datagramLength ? null : $"frame {FrameId}: {PointCount} points need {expected} bytes, datagram has {datagramLength}";
    }
}
