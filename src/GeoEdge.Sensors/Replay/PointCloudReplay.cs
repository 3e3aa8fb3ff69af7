using System.Runtime.CompilerServices;
using GeoEdge.Geometry.IO;
using GeoEdge.Sensors.Sources;

namespace GeoEdge.Sensors.Replay;

/// <summary>Replays PCD/PLY files as point cloud frames at a fixed rate, once or looping.</summary>
/// <remarks>
/// Counters: <see cref="SourceCounters.Frames"/> = clouds emitted, <see cref="SourceCounters.Errors"/> = files that
/// could not be read (skipped without using up a period; the error is kept in <see cref="SourceCounters.LastError"/>).
/// A looping pass in which no file could be read ends the stream, since nothing would ever come.
/// </remarks>
public sealed class PointCloudReplay : IPointCloudSource
{
    private readonly IReadOnlyList<string> _files;
    private readonly ReplayOptions _options;
    private readonly TimeSpan _period;
    private readonly TimeProvider _time;

    /// <summary>Replays <paramref name="path"/>: a directory (its *.pcd and *.ply files in ordinal name order) or one file.</summary>
    public PointCloudReplay(string path, ReplayOptions options, TimeProvider timeProvider)
        : this(ListFiles(path), options, timeProvider)
    {
    }

    /// <summary>Replays <paramref name="files"/> in the given order.</summary>
    public PointCloudReplay(IReadOnlyList<string> files, ReplayOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (files.Count == 0)
        {
            throw new ArgumentException("point cloud replay needs at least one file", nameof(files));
        }

        _files = [.. files];
        _options = options;
        _period = Pacer.PeriodOf(options.RateHz, nameof(options));
        _time = timeProvider;
    }

    public IReadOnlyList<string> Files => _files;

    public SourceCounters Counters { get; } = new();

    public async IAsyncEnumerable<PointCloudFrame> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pacer = new Pacer(_time, _period);
        long frameId = 0;
        do
        {
            bool anyRead = false;
            foreach (string file in _files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                PointCloudFile? read = TryRead(file);
                if (read is null)
                {
                    continue;
                }

                anyRead = true;
                await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
                Counters.AddFrame();
                yield return new PointCloudFrame(frameId++, _time.GetUtcNow(), read.Cloud, Path.GetFileName(file));
            }

            if (!anyRead)
            {
                yield break;
            }
        }
        while (_options.Loop);
    }

    private PointCloudFile? TryRead(string file)
    {
        try
        {
            return PointCloudReader.Read(file);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException or ArgumentException)
        {
            // PointCloudFormatException (a FormatException) already names the file and offset; IO errors name the path.
            Counters.AddError(e);
            return null;
        }
    }

    private static string[] ListFiles(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
        {
            return [path];
        }

        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"point cloud replay path '{path}' is neither a file nor a directory");
        }

        var files = new List<string>();
        foreach (string file in Directory.EnumerateFiles(path))
        {
            string extension = Path.GetExtension(file);
            if (extension.Equals(".pcd", StringComparison.OrdinalIgnoreCase) || extension.Equals(".ply", StringComparison.OrdinalIgnoreCase))
            {
                files.Add(file);
            }
        }

        files.Sort(StringComparer.Ordinal);
        if (files.Count == 0)
        {
            throw new ArgumentException($"directory '{path}' holds no .pcd or .ply file", nameof(path));
        }

        return [.. files];
    }
}
