using System.Buffers;
using System.Text.Json;
using GeoEdge.Geometry.IO;

namespace GeoEdge.Host.Events;

/// <summary>Append-only JSON-lines file of events in the state directory, rotated at a size limit into events.jsonl.1..N.</summary>
/// <remarks>Each line is flushed to the OS as it is written, so a crash of the process loses nothing; a power cut can
/// leave a torn last line, which <see cref="EventLogReader"/> skips and opening the log repairs.</remarks>
public sealed class EventLog : IEventSink, IDisposable
{
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _line = new(512);
    private readonly Utf8JsonWriter _json;
    private FileStream? _stream;
    private long _writeFailures;
    private long _written;

    public EventLog(string path, long maxFileBytes = 10 * 1024 * 1024, int keepFiles = 5)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFileBytes, 256);
        ArgumentOutOfRangeException.ThrowIfNegative(keepFiles);
        Path = System.IO.Path.GetFullPath(path);
        MaxFileBytes = maxFileBytes;
        KeepFiles = keepFiles;
        _json = new Utf8JsonWriter(_line);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        RepairTornTail(Path);
        _stream = OpenAppend();
    }

    public string Path { get; }

    public long MaxFileBytes { get; }

    public int KeepFiles { get; }

    /// <summary>Events lost because the file could not be written (disk full, state directory gone); counted, never thrown.</summary>
    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    public long Written => Interlocked.Read(ref _written);

    /// <summary>The rotated file with number <paramref name="n"/> (1 = most recent).</summary>
    public string RotatedPath(int n) => $"{Path}.{n}";

    public void Publish(in DeviceEvent e)
    {
        lock (_gate)
        {
            try
            {
                _line.ResetWrittenCount();
                _json.Reset(_line);
                JsonSerializer.Serialize(_json, e, EventJsonContext.Default.DeviceEvent);
                _json.Flush();
                _line.Write("\n"u8);
                if (_stream is not null && !File.Exists(Path))
                {
                    // Deleted under us (an operator cleaning the state directory): on Linux the writes would go to an
                    // unlinked inode and vanish, so start a new file, or count the failure if the directory is gone.
                    CloseQuietly();
                }

                _stream ??= OpenAppend();
                if (_stream.Length > 0 && _stream.Length + _line.WrittenCount > MaxFileBytes)
                {
                    Rotate();
                }

                _stream.Write(_line.WrittenSpan);
                _stream.Flush();
                _written++;
            }
            catch (IOException)
            {
                _writeFailures++;
                CloseQuietly();
            }
            catch (UnauthorizedAccessException)
            {
                _writeFailures++;
                CloseQuietly();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            CloseQuietly();
            _json.Dispose();
        }
    }

    /// <summary>Cuts a torn last line (no final newline) by rewriting the complete lines through write-temp + rename.</summary>
    /// <returns>The number of bytes dropped.</returns>
    public static long RepairTornTail(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        byte[] content = File.ReadAllBytes(path);
        if (content.Length == 0 || content[^1] == (byte)'\n')
        {
            return 0;
        }

        int keep = Array.LastIndexOf(content, (byte)'\n') + 1;
        AtomicFile.Write(path, s => s.Write(content, 0, keep));
        return content.Length - keep;
    }

    // events.jsonl.(N-1) -> .N, ..., events.jsonl -> .1; renames only, so a crash mid-rotation loses no line.
    private void Rotate()
    {
        CloseQuietly();
        if (KeepFiles == 0)
        {
            File.Delete(Path);
        }
        else
        {
            File.Delete(RotatedPath(KeepFiles));
            for (int n = KeepFiles - 1; n >= 1; n--)
            {
                if (File.Exists(RotatedPath(n)))
                {
                    File.Move(RotatedPath(n), RotatedPath(n + 1));
                }
            }

            File.Move(Path, RotatedPath(1));
        }

        _stream = OpenAppend();
    }

    private FileStream OpenAppend() => new(Path, FileMode.Append, FileAccess.Write, FileShare.Read, 1);

    private void CloseQuietly()
    {
        try
        {
            _stream?.Dispose();
        }
        catch (IOException)
        {
        }

        _stream = null;
    }
}
