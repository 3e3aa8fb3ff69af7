using System.Net;
using System.Net.Sockets;
using GeoEdge.Sensors.Sources;
using GeoEdge.Sensors.Udp;

namespace GeoEdge.Sensors.Tests.Udp;

public sealed class UdpPointStreamTests : IDisposable
{
    // Only a guard against a hung test; nothing asserts on how long a step took.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(20);
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = Paced.Clock();
    private readonly UdpPointStream _stream;
    private readonly UdpClient _raw = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly IAsyncEnumerator<PointCloudFrame> _frames;

    public UdpPointStreamTests()
    {
        _stream = new UdpPointStream(new UdpPointStreamOptions(IPAddress.Loopback, 0, TimeSpan.FromSeconds(1)), _time);
        _frames = _stream.ReadAsync(_stop.Token).GetAsyncEnumerator();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _frames.DisposeAsync().AsTask().Wait(Hang);
        _stream.Dispose();
        _raw.Dispose();
        _stop.Dispose();
    }

    private async Task<PointCloudFrame> NextAsync()
    {
        Assert.True(await _frames.MoveNextAsync().AsTask().WaitAsync(Hang));
        return _frames.Current;
    }

    private async Task SendAsync(params byte[][] packets)
    {
        foreach (byte[] packet in packets)
        {
            await _raw.SendAsync(packet, _stream.LocalEndPoint);
        }
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Frames_sent_by_the_sender_arrive_whole()
    {
        using var sender = new UdpPointSender(_stream.LocalEndPoint);
        var cloud = TestClouds.Indexed(500, intensity: true);

        await sender.SendFrameAsync(1, cloud);
        await sender.SendFrameAsync(2, TestClouds.Indexed(3));
        PointCloudFrame first = await NextAsync();
        PointCloudFrame second = await NextAsync();

        Assert.Equal((1L, 500), (first.FrameId, first.Cloud.Count));
        Assert.Equal(cloud.Positions, first.Cloud.Positions);
        Assert.Equal(cloud.FindAttribute("intensity")!.AsSpan<float>().ToArray(), first.Cloud.FindAttribute("intensity")!.AsSpan<float>().ToArray());
        Assert.Equal((2L, 3), (second.FrameId, second.Cloud.Count));
        Assert.Equal(_time.GetUtcNow(), second.Timestamp);
        Assert.StartsWith("127.0.0.1:", second.Origin, StringComparison.Ordinal);
        Assert.Equal((2L, 0L, 0L), (_stream.Counters.Frames, _stream.Counters.Lost, _stream.Counters.Dropped));
        Assert.Equal(7, sender.PacketsSent);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Packets_in_reverse_order_reassemble()
    {
        var cloud = TestClouds.Indexed(400);
        IReadOnlyList<byte[]> packets = UdpPointSender.Packets(42, cloud);

        await SendAsync([.. packets.Reverse()]);
        PointCloudFrame frame = await NextAsync();

        Assert.Equal(42L, frame.FrameId);
        Assert.Equal(cloud.Positions, frame.Cloud.Positions);
    }

    [Fact]
    [Trait("Category", "Fault")]
    public async Task A_frame_missing_a_packet_is_counted_lost_when_the_next_frame_begins()
    {
        IReadOnlyList<byte[]> lossy = UdpPointSender.Packets(1, TestClouds.Indexed(300));
        IReadOnlyList<byte[]> whole = UdpPointSender.Packets(2, TestClouds.Indexed(300));

        await SendAsync(lossy[0], lossy[2], whole[0], whole[1], whole[2]);
        PointCloudFrame frame = await NextAsync();

        Assert.Equal(2L, frame.FrameId);
        Assert.Equal((1L, 1L, 0L), (_stream.Counters.Frames, _stream.Counters.Lost, _stream.Counters.Dropped));
    }

    [Fact]
    [Trait("Category", "Fault")]
    public async Task Malformed_packets_are_dropped_and_the_stream_goes_on()
    {
        byte[] good = UdpPointSender.Packets(8, TestClouds.Indexed(2))[0];

        await SendAsync([1, 2, 3], "GEUP but not really"u8.ToArray(), good[..^4], good);
        PointCloudFrame frame = await NextAsync();

        Assert.Equal(8L, frame.FrameId);
        Assert.Equal((1L, 0L, 3L), (_stream.Counters.Frames, _stream.Counters.Lost, _stream.Counters.Dropped));
        Assert.Contains("need 44 bytes", _stream.LastDropReason, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Fault")]
    public async Task An_incomplete_frame_times_out_on_the_stream_clock()
    {
        IReadOnlyList<byte[]> partial = UdpPointSender.Packets(5, TestClouds.Indexed(300));
        IReadOnlyList<byte[]> late = UdpPointSender.Packets(6, TestClouds.Indexed(1));
        Task<bool> next = _frames.MoveNextAsync().AsTask();

        await SendAsync(partial[0]);
        for (int i = 0; i < 2000 && _stream.Counters.Lost == 0; i++)
        {
            // Each step passes the timeout; the one after the packet was taken in expires the frame.
            _time.Advance(TimeSpan.FromSeconds(1.5));
            await Task.Delay(5);
        }

        await SendAsync(partial[1], late[0]);
        Assert.True(await next.WaitAsync(Hang));

        Assert.Equal(6L, _frames.Current.FrameId);
        Assert.Equal((1L, 1L, 1L), (_stream.Counters.Frames, _stream.Counters.Lost, _stream.Counters.Dropped));
    }
}
