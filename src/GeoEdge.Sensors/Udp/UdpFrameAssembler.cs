using System.Buffers.Binary;
using GeoEdge.Geometry;

namespace GeoEdge.Sensors.Udp;

/// <summary>Reassembles UDP point packets, in any order, into whole frames; one frame is in flight at a time.</summary>
/// <remarks>
/// A packet of a newer frame (serial-number order, so ids may wrap) abandons an incomplete older frame, which
/// counts as lost; so does a frame with no new packet for the timeout. Packets of older frames arrive too late
/// and are dropped. Duplicated packets fill nothing twice. Not thread-safe: one receive loop owns it.
/// </remarks>
public sealed class UdpFrameAssembler
{
    private readonly int _maxPoints;
    private readonly TimeSpan _timeout;
    private Partial? _current;
    private uint? _lastFinished;

    /// <param name="maxPointsPerFrame">Frames announcing more points are malformed (bounds the memory one packet can claim).</param>
    /// <param name="timeout">An incomplete frame without a new packet for this long is lost.</param>
    public UdpFrameAssembler(int maxPointsPerFrame, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPointsPerFrame, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _maxPoints = maxPointsPerFrame;
        _timeout = timeout;
    }

    /// <summary>Frames given up incomplete (superseded by a newer frame or timed out).</summary>
    public long LostFrames { get; private set; }

    /// <summary>Packets refused: malformed, inconsistent with their frame, or too late.</summary>
    public long DroppedPackets { get; private set; }

    /// <summary>Why the last packet was dropped.</summary>
    public string? LastDropReason { get; private set; }

    /// <summary>Takes one datagram received at <paramref name="now"/>; returns the frame it completed, or null.</summary>
    public UdpFrame? Add(ReadOnlySpan<byte> datagram, DateTimeOffset now)
    {
        Expire(now);
        if (!UdpPointPacketHeader.TryRead(datagram, out UdpPointPacketHeader header, out string? error))
        {
            return Drop(error!);
        }

        if (header.TotalPoints > (uint)_maxPoints)
        {
            return Drop($"frame {header.FrameId}: {header.TotalPoints} points exceed the limit of {_maxPoints}");
        }

        if (_current is { } current && current.Header.FrameId != header.FrameId)
        {
            if (IsNewer(header.FrameId, current.Header.FrameId))
            {
                LostFrames++;
                _current = null;
            }
            else
            {
                return Drop($"frame {header.FrameId}: packet arrived after frame {current.Header.FrameId} began");
            }
        }

        if (_current is null)
        {
            if (_lastFinished is { } finished && !IsNewer(header.FrameId, finished))
            {
                return Drop($"frame {header.FrameId}: packet arrived after frame {finished} was finished");
            }

            _current = new Partial(header);
        }

        Partial frame = _current;
        if (frame.Header.TotalPoints != header.TotalPoints || frame.Header.Flags != header.Flags)
        {
            return Drop($"frame {header.FrameId}: packet says {header.TotalPoints} points flags 0x{header.Flags:x2}, the frame began with {frame.Header.TotalPoints} flags 0x{frame.Header.Flags:x2}");
        }

        frame.Fill(header, datagram[UdpPointPacketHeader.Size..], now);
        if (!frame.IsComplete)
        {
            return null;
        }

        _current = null;
        _lastFinished = header.FrameId;
        return frame.ToFrame();
    }

    /// <summary>Gives up the frame in flight if it has waited longer than the timeout; returns whether it did.</summary>
    public bool Expire(DateTimeOffset now)
    {
        if (_current is { } current && now - current.LastPacket > _timeout)
        {
            LostFrames++;
            _lastFinished = current.Header.FrameId;
            _current = null;
            return true;
        }

        return false;
    }

    private static bool IsNewer(uint candidate, uint reference) => (int)(candidate - reference) > 0;

    private UdpFrame? Drop(string reason)
    {
        DroppedPackets++;
        LastDropReason = reason;
        return null;
    }

    /// <summary>A frame being filled: its buffers and which points have arrived.</summary>
    private sealed class Partial(UdpPointPacketHeader header)
    {
        private readonly float[] _positions = new float[checked((int)header.TotalPoints * 3)];
        private readonly float[]? _intensity = header.HasIntensity ? new float[header.TotalPoints] : null;
        private readonly bool[] _received = new bool[header.TotalPoints];
        private int _receivedCount;

        public UdpPointPacketHeader Header { get; } = header;

        public DateTimeOffset LastPacket { get; private set; }

        public bool IsComplete => _receivedCount == _received.Length;

        public void Fill(UdpPointPacketHeader packet, ReadOnlySpan<byte> points, DateTimeOffset now)
        {
            LastPacket = now;
            int stride = packet.PointStride;
            for (int p = 0; p < packet.PointCount; p++)
            {
                int index = (int)packet.FirstPoint + p;
                ReadOnlySpan<byte> point = points.Slice(p * stride, stride);
                _positions[index * 3] = BinaryPrimitives.ReadSingleLittleEndian(point);
                _positions[(index * 3) + 1] = BinaryPrimitives.ReadSingleLittleEndian(point[4..]);
                _positions[(index * 3) + 2] = BinaryPrimitives.ReadSingleLittleEndian(point[8..]);
                if (_intensity is not null)
                {
                    _intensity[index] = BinaryPrimitives.ReadSingleLittleEndian(point[12..]);
                }

                if (!_received[index])
                {
                    _received[index] = true;
                    _receivedCount++;
                }
            }
        }

        public UdpFrame ToFrame()
        {
            AttributeChannel[]? attributes = null;
            if (_intensity is not null)
            {
                var bytes = new byte[_intensity.Length * sizeof(float)];
                for (int i = 0; i < _intensity.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), _intensity[i]);
                }

                attributes = [new AttributeChannel("intensity", ScalarType.Float32, 1, _intensity.Length, bytes)];
            }

            return new UdpFrame(Header.FrameId, new PointCloud(_positions, _intensity?.Length ?? _positions.Length / 3, 1, attributes));
        }
    }
}
