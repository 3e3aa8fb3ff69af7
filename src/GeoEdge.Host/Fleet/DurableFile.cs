using GeoEdge.Host.Models;

namespace GeoEdge.Host.Fleet;

/// <summary>Replaces a small state file as a whole: temp file, fsync, rename, fsync of the directory (so the rename
/// survives a power cut too), optionally private to the service user from the first byte.</summary>
internal static class DurableFile
{
    public static void Write(string path, ReadOnlySpan<byte> bytes, bool privateFile = false)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (privateFile && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        DurableDirectory.Sync(directory);
    }

    /// <summary>Deletes a file and makes the deletion durable.</summary>
    public static void Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
            DurableDirectory.Sync(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
    }
}
