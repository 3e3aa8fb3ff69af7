using System.Buffers.Binary;
using GeoEdge.Sensors.Udp;

namespace GeoEdge.Sensors.Tests.Udp;

public sealed class UdpFrameAssemblerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static UdpFrameAssembler Assembler() => new(maxPointsPerFrame: 10_000, timeout: TimeSpan.FromSeconds(1));

    [Fact]
    [Trait("Category", "Unit")]
    public void Packets_split_at_121_points_and_reassemble_in_any_order()
    {
        var cloud = TestClouds.Indexed(300);
        IReadOnlyList<byte[]> packets = UdpPointSender.Packets(7, cloud);
        var assembler = Assembler();

        Assert.Equal([20 + (121 * 12), 20 + (121 * 12), 20 + (58 * 12)], packets.Select(p => p.Length));
        Assert.Null(assembler.Add(packets[2], T0));
        Assert.Null(assembler.Add(packets[0], T0));
        UdpFrame? frame = assembler.Add(packets[1], T0);

        Assert.NotNull(frame);
        Assert.Equal(7u, frame.FrameId);
        Assert.Equal(cloud.Positions, frame.Cloud.Positions);
        Assert.Empty(frame.Cloud.Attributes);
        Assert.Equal((0L, 0L), (assembler.LostFrames, assembler.DroppedPackets));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Intensity_travels_with_90_points_a_packet()
    {
        var cloud = TestClouds.Indexed(100, intensity: true);
        IReadOnlyList<byte[]> packets = UdpPointSender.Packets(1, cloud);
        var assembler = Assembler();

        Assert.Equal([20 + (90 * 16), 20 + (10 * 16)], packets.Select(p => p.Length));
        Assert.Equal(1, packets[0][5]);
        assembler.Add(packets[1], T0);
        UdpFrame frame = assembler.Add(packets[0], T0)!;

        Assert.Equal(cloud.Positions, frame.Cloud.Positions);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => 1000f + i), frame.Cloud.FindAttribute("intensity")!.AsSpan<float>().ToArray());
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void A_duplicated_packet_does_not_complete_a_frame()
    {
        IReadOnlyList<byte[]> packets = UdpPointSender.Packets(3, TestClouds.Indexed(200));
        var assembler = Assembler();

        Assert.Null(assembler.Add(packets[0], T0));
        Assert.Null(assembler.Add(packets[0], T0));
        Assert.NotNull(assembler.Add(packets[1], T0));
    }

    [Fact]
    [Trait("Category", "Fault")]
    public void A_newer_frame_abandons_the_incomplete_one_and_its_late_packets_are_dropped()
    {
        IReadOnlyList<byte[]> first = UdpPointSender.Packets(10, TestClouds.Indexed(200));
        IReadOnlyList<byte[]> second = UdpPointSender.Packets(11, TestClouds.Indexed(5));
        var assembler = Assembler();

        Assert.Null(assembler.Add(first[0], T0));
        UdpFrame? frame = assembler.Add(second[0], T0);
        Assert.Null(assembler.Add(first[1], T0));

        Assert.Equal(11u, frame!.FrameId);
        Assert.Equal((1L, 1L), (assembler.LostFrames, assembler.DroppedPackets));
        Assert.Contains("frame 10", assembler.LastDropReason, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Fault")]
    public void A_frame_without_packets_for_the_timeout_is_lost()
    {
        IReadOnlyList<byte[]> packets = UdpPointSender.Packets(4, TestClouds.Indexed(200));
        var assembler = Assembler();

        assembler.Add(packets[0], T0);
        Assert.False(assembler.Expire(T0.AddSeconds(1)));
        Assert.True(assembler.Expire(T0.AddSeconds(1.001)));
        Assert.Null(assembler.Add(packets[1], T0.AddSeconds(1.002)));

        Assert.Equal((1L, 1L), (assembler.LostFrames, assembler.DroppedPackets));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Frame_ids_wrap_around()
    {
        var assembler = Assembler();

        Assert.NotNull(assembler.Add(UdpPointSender.Packets(uint.MaxValue, TestClouds.Indexed(1))[0], T0));
        Assert.NotNull(assembler.Add(UdpPointSender.Packets(0, TestClouds.Indexed(1))[0], T0));
        Assert.Null(assembler.Add(UdpPointSender.Packets(uint.MaxValue, TestClouds.Indexed(1))[0], T0));
        Assert.Equal(1L, assembler.DroppedPackets);
    }

    public static TheoryData<string, byte[], string> Malformed()
    {
        byte[] good = UdpPointSender.Packets(5, TestClouds.Indexed(2))[0];
        byte[] Edit(Action<byte[]> edit)
        {
            byte[] copy = (byte[])good.Clone();
            edit(copy);
            return copy;
        }

        return new TheoryData<string, byte[], string>
        {
            { "short", good[..19], "shorter than the 20-byte header" },
            { "magic", Edit(p => p[0] = (byte)'X'), "magic" },
            { "version", Edit(p => p[4] = 2), "version 2" },
            { "flags", Edit(p => p[5] = 0x82), "reserved flag bits" },
            { "truncated", good[..^1], "need 44 bytes, datagram has 43" },
            { "beyond", Edit(p => BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(14), 1)), "beyond the frame's 2" },
            { "empty", Edit(p => BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(18), 0)), "empty packet" },
            { "huge", Edit(p => BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(10), 10_001)), "exceed the limit of 10000" },
        };
    }

    [Theory]
    [Trait("Category", "Fault")]
    [MemberData(nameof(Malformed))]
    public void Malformed_packets_are_dropped_with_a_reason(string name, byte[] packet, string reason)
    {
        var assembler = Assembler();

        Assert.Null(assembler.Add(packet, T0));

        Assert.True(assembler.DroppedPackets == 1, name);
        Assert.Contains(reason, assembler.LastDropReason, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Fault")]
    public void A_packet_disagreeing_with_its_frame_about_the_total_is_dropped()
    {
        byte[] first = UdpPointSender.Packets(9, TestClouds.Indexed(200))[0];
        byte[] other = UdpPointSender.Packets(9, TestClouds.Indexed(300))[1];
        var assembler = Assembler();

        assembler.Add(first, T0);
        Assert.Null(assembler.Add(other, T0));

        Assert.Equal(1L, assembler.DroppedPackets);
        Assert.Contains("300 points", assembler.LastDropReason, StringComparison.Ordinal);
    }
}
