using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using GeoEdge.Sensors.Sources;

namespace GeoEdge.Sensors.Udp;

/// <summary>Receives point cloud frames as UDP point packets (docs/udp-point-stream.md) and yields each frame once complete.</summary>
/// <remarks>
/// The socket is bound in the constructor, so a sender may start as soon as the stream exists; packets that
/// arrive before <see cref="ReadAsync"/> wait in the socket buffer. Counters: <see cref="SourceCounters.Frames"/>
/// = frames emitted, <see cref="SourceCounters.Lost"/> = frames given up incomplete (a newer frame began or
/// the frame timed out), <see cref="SourceCounters.Dropped"/> = malformed or late packets,
/// <see cref="SourceCounters.Errors"/> = socket errors the loop survived. Nothing but cancellation ends the loop.
/// Disposal: the stream owns its socket; dispose it after the reader has stopped.
/// </remarks>
public sealed class UdpPointStream : IPointCloudSource, IDisposable
{
    private readonly UdpClient _client;
    private readonly UdpFrameAssembler _assembler;
    private readonly UdpPointStreamOptions _options;
    private readonly TimeProvider _time;
    private int _reading;
    private long _lostSeen;
    private long _droppedSeen;

    public UdpPointStream(UdpPointStreamOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Port, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort);
        _options = options;
        _time = timeProvider;
        _assembler = new UdpFrameAssembler(options.MaxPointsPerFrame, options.FrameTimeout);
        _client = new UdpClient(new IPEndPoint(options.Address, options.Port));
        LocalEndPoint = (IPEndPoint)_client.Client.LocalEndPoint!;
    }

    /// <summary>The bound address and port (the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    public SourceCounters Counters { get; } = new();

    /// <summary>Why the last packet was dropped (for diagnostics).</summary>
    public string? LastDropReason { get; private set; }

    public async IAsyncEnumerable<PointCloudFrame> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _reading, 1) != 0)
        {
            throw new InvalidOperationException("a UDP point stream has one reader");
        }

        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                UdpReceiveResult? received = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
                DateTimeOffset now = _time.GetUtcNow();
                if (received is not { } datagram)
                {
                    _assembler.Expire(now);
                    Account();
                    continue;
                }

                UdpFrame? frame = _assembler.Add(datagram.Buffer, now);
                Account();
                if (frame is not null)
                {
                    Counters.AddFrame();
                    yield return new PointCloudFrame(frame.FrameId, now, frame.Cloud, datagram.RemoteEndPoint.ToString());
                }
            }
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The next datagram, or null when the frame timeout passed without one (so a stalled frame is still expired).</summary>
    private async ValueTask<UdpReceiveResult?> ReceiveAsync(CancellationToken cancellationToken)
    {
        // The timeout runs on the TimeProvider so tests can expire a stalled frame without waiting.
        using var timeout = new CancellationTokenSource(_options.FrameTimeout, _time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await _client.ReceiveAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (SocketException e)
        {
            // ICMP port-unreachable echoes and similar transient errors: count, keep listening.
            Counters.AddError(e);
            return null;
        }
    }

    /// <summary>Carries the assembler's totals over to the shared counters.</summary>
    private void Account()
    {
        long lost = _assembler.LostFrames;
        Counters.AddLost(lost - _lostSeen);
        _lostSeen = lost;
        long dropped = _assembler.DroppedPackets;
        Counters.AddDropped(dropped - _droppedSeen);
        _droppedSeen = dropped;
        LastDropReason = _assembler.LastDropReason;
    }
}
