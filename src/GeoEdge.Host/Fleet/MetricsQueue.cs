using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using GeoEdge.Fleet.Contracts;
using GeoEdge.Host.Models;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Fleet;

/// <summary>Closed metrics windows on disk until the server acknowledges them: an append-only log of frames
/// ([length][4 bytes of SHA-256][JSON]) plus a small header (epoch, first wanted seq, next seq, pending drop count).
/// A torn tail (a kill mid-append) is cut at open; when full, the OLDEST windows are dropped and the next record's
/// DroppedBefore counts them.</summary>
/// <remarks>Not thread-safe: one agent loop appends and uploads.</remarks>
public sealed class MetricsQueue
{
    private const int FrameHeader = 8;
    private const int MaxRecordBytes = 1 << 20;
    private const long CompactAfterBytes = 1 << 22;

    private readonly string _log;
    private readonly string _headerFile;
    private readonly int _maxWindows;
    private readonly ILogger _logger;
    private readonly List<(long Seq, long Offset, int Length)> _index = [];
    private readonly bool _repair;
    private MetricsQueueHeader _header;

    private MetricsQueue(string directory, int maxWindows, ILogger logger, bool repair = true)
    {
        _repair = repair;
        if (repair)
        {
            Directory.CreateDirectory(directory);
        }

        _log = Path.Combine(directory, "queue.log");
        _headerFile = Path.Combine(directory, "queue.json");
        _maxWindows = maxWindows;
        _logger = logger;
        _header = File.Exists(_headerFile)
            ? JsonSerializer.Deserialize(File.ReadAllBytes(_headerFile), AgentJsonContext.Default.MetricsQueueHeader)!
            : new MetricsQueueHeader(NewEpoch(), 1, 1, 0);
        if (repair && !File.Exists(_headerFile))
        {
            // The epoch is durable before the first record: records must never outlive the epoch they were numbered in.
            WriteHeader(_header);
        }

        Scan();
    }

    public long Epoch => _header.Epoch;

    /// <summary>The seq the next appended window gets.</summary>
    public long NextSeq { get; private set; }

    /// <summary>Windows waiting for an acknowledgement.</summary>
    public int Count => _index.Count;

    /// <summary>Windows dropped because the queue was full, since this process opened it.</summary>
    public long Dropped { get; private set; }

    /// <summary>Opens (or creates) the queue in <paramref name="directory"/>, repairing a torn tail.</summary>
    public static MetricsQueue Open(string directory, int maxWindows, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWindows, 1);
        return new MetricsQueue(directory, maxWindows, logger);
    }

    /// <summary>Reads the queue without changing it (a torn tail is skipped, not cut): for `geoedge fleet status` beside a running service.</summary>
    public static MetricsQueue Inspect(string directory) => new(directory, int.MaxValue, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, repair: false);

    /// <summary>Appends a closed window with the next seq (durable on return); returns the stored record.</summary>
    public MetricsWindow Append(MetricsWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        long seq = NextSeq;
        int drop = _index.Count - _maxWindows + 1;
        if (drop > 0)
        {
            // The header moves first: after a crash here the dropped windows are gone and still counted (pending).
            long head = _index[drop - 1].Seq + 1;
            _index.RemoveRange(0, drop);
            Dropped += drop;
            Log.MetricsDropped(_logger, drop);
            WriteHeader(_header with { HeadSeq = head, NextSeq = seq, DroppedPending = _header.DroppedPending + drop });
            Compact();
        }

        MetricsWindow record = window with { Seq = seq, DroppedBefore = _header.NextSeq == seq ? _header.DroppedPending : 0 };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(record, AgentJsonContext.Default.MetricsWindow);
        byte[] frame = new byte[FrameHeader + json.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, json.Length);
        SHA256.HashData(json).AsSpan(0, 4).CopyTo(frame.AsSpan(4));
        json.CopyTo(frame, FrameHeader);
        long offset;
        using (var file = new FileStream(_log, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            offset = file.Position;
            file.Write(frame);
            file.Flush(flushToDisk: true);
        }

        _index.Add((seq, offset, frame.Length));
        NextSeq = seq + 1;
        if (record.DroppedBefore > 0)
        {
            WriteHeader(_header with { DroppedPending = 0 });
        }

        return record;
    }

    /// <summary>Up to <paramref name="max"/> of the oldest unacknowledged windows, in seq order.</summary>
    public IReadOnlyList<MetricsWindow> Peek(int max)
    {
        var windows = new List<MetricsWindow>(Math.Min(max, _index.Count));
        if (_index.Count == 0)
        {
            return windows;
        }

        using var file = new FileStream(_log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        for (int i = 0; i < _index.Count && windows.Count < max; i++)
        {
            (long _, long offset, int length) = _index[i];
            byte[] frame = new byte[length];
            file.Position = offset;
            file.ReadExactly(frame);
            windows.Add(JsonSerializer.Deserialize(frame.AsSpan(FrameHeader), AgentJsonContext.Default.MetricsWindow)!);
        }

        return windows;
    }

    /// <summary>Forgets every window through <paramref name="seq"/> (the server stored them).</summary>
    public void Ack(long seq)
    {
        int n = 0;
        while (n < _index.Count && _index[n].Seq <= seq)
        {
            n++;
        }

        if (n == 0)
        {
            return;
        }

        _index.RemoveRange(0, n);
        WriteHeader(_header with { HeadSeq = Math.Max(_header.HeadSeq, seq + 1), NextSeq = _header.DroppedPending > 0 ? _header.NextSeq : NextSeq });
        Compact();
    }

    private void Compact()
    {
        long start = _index.Count > 0 ? _index[0].Offset : new FileInfo(_log).Length;
        if (_index.Count > 0 && start < CompactAfterBytes)
        {
            return;
        }

        byte[] tail;
        using (var file = new FileStream(_log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            tail = new byte[file.Length - start];
            file.Position = start;
            file.ReadExactly(tail);
        }

        DurableFile.Write(_log, tail);
        for (int i = 0; i < _index.Count; i++)
        {
            _index[i] = (_index[i].Seq, _index[i].Offset - start, _index[i].Length);
        }
    }

    private void Scan()
    {
        long lastSeq = 0;
        if (File.Exists(_log))
        {
            using var file = new FileStream(_log, FileMode.Open, _repair ? FileAccess.ReadWrite : FileAccess.Read, FileShare.ReadWrite);
            long offset = 0;
            byte[] head = new byte[FrameHeader];
            while (TryReadFrame(file, offset, head, out MetricsWindow? window, out int length))
            {
                lastSeq = window.Seq;
                if (window.Seq >= _header.HeadSeq)
                {
                    _index.Add((window.Seq, offset, length));
                }

                offset += length;
            }

            if (offset < file.Length && _repair)
            {
                Log.TornTail(_logger, _log, offset);
                file.SetLength(offset);
                file.Flush(flushToDisk: true);
            }
        }

        NextSeq = Math.Max(_header.NextSeq, lastSeq + 1);
        if (_repair && _header.DroppedPending > 0 && lastSeq >= _header.NextSeq)
        {
            WriteHeader(_header with { DroppedPending = 0 }); // the record that counted the drop made it to disk
        }
    }

    private static bool TryReadFrame(FileStream file, long offset, byte[] head, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MetricsWindow? window, out int length)
    {
        window = null;
        length = 0;
        if (file.Length - offset < FrameHeader)
        {
            return false;
        }

        file.Position = offset;
        file.ReadExactly(head);
        int size = BinaryPrimitives.ReadInt32LittleEndian(head);
        if (size <= 0 || size > MaxRecordBytes || file.Length - offset - FrameHeader < size)
        {
            return false;
        }

        byte[] json = new byte[size];
        file.ReadExactly(json);
        if (!SHA256.HashData(json).AsSpan(0, 4).SequenceEqual(head.AsSpan(4)))
        {
            return false;
        }

        try
        {
            window = JsonSerializer.Deserialize(json, AgentJsonContext.Default.MetricsWindow);
        }
        catch (JsonException)
        {
            return false;
        }

        length = FrameHeader + size;
        return window is not null;
    }

    private void WriteHeader(MetricsQueueHeader header)
    {
        _header = header;
        DurableFile.Write(_headerFile, JsonSerializer.SerializeToUtf8Bytes(header, AgentJsonContext.Default.MetricsQueueHeader));
    }

    private static long NewEpoch() => BinaryPrimitives.ReadInt64LittleEndian(RandomNumberGenerator.GetBytes(8)) & long.MaxValue;
}
