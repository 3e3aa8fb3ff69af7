using GeoEdge.Geometry.IO;
using GeoEdge.Host.Models;

namespace GeoEdge.Host.Fleet;

/// <summary>Replaces a small state file as a whole through <see cref="AtomicFile"/> (temp file, fsync, rename), then fsyncs
/// the directory so the rename survives a power cut too; optionally private to the service user from the first byte.</summary>
internal static class DurableFile
{
    public static void Write(string path, ReadOnlySpan<byte> bytes, bool privateFile = false)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        byte[] content = bytes.ToArray(); // state files are small; AtomicFile's writer is a delegate, which cannot hold a span
        AtomicFile.Write(full, stream => stream.Write(content), privateFile ? UnixFileMode.UserRead | UnixFileMode.UserWrite : null);
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
