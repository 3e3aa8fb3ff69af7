namespace GeoEdge.Geometry.IO;

/// <summary>Writes a file so that readers see either the old content or the complete new one, never a half-written file.</summary>
public static class AtomicFile
{
    /// <summary>Runs <paramref name="write"/> on a temp file beside <paramref name="path"/>, flushes it to disk, then renames it over <paramref name="path"/>.</summary>
    /// <param name="path">The file to replace.</param>
    /// <param name="write">Writes the whole new content.</param>
    /// <param name="unixCreateMode">Permissions of the temp file from its first byte (e.g. 0600 for a key), so the
    /// renamed file is never readable by others even for a moment; null = the process umask.</param>
    public static void Write(string path, Action<Stream> write, UnixFileMode? unixCreateMode = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16 };
            if (unixCreateMode is { } mode && !OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = mode;
            }

            using (var stream = new FileStream(temp, options))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The temp file is named so that nothing ever reads it; leaving it is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
