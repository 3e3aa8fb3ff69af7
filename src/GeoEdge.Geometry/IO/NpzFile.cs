using System.IO.Compression;

namespace GeoEdge.Geometry.IO;

/// <summary>Reads and writes NumPy .npz archives (np.savez / np.savez_compressed): a zip of NAME.npy entries.</summary>
public static class NpzFile
{
    /// <summary>Upper bound on one entry's uncompressed size, so a hostile archive cannot exhaust memory.</summary>
    public const long MaxEntryBytes = 1L << 31;

    public static IReadOnlyDictionary<string, NpyArray> Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Reads every array; keys are the entry names without ".npy", in archive order.</summary>
    public static IReadOnlyDictionary<string, NpyArray> Read(Stream stream, string sourceName)
    {
        var arrays = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new NpyFormatException(sourceName, 0, $"not a .npz (zip) archive: {e.Message}");
        }

        using (archive)
        {
            foreach (ZipArchiveEntry entry in archive.Entries)
            {
                string name = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;
                if (entry.Length > MaxEntryBytes)
                {
                    throw new NpyFormatException($"{sourceName}:{entry.FullName}", 0, $"entry of {entry.Length} bytes exceeds the {MaxEntryBytes}-byte limit");
                }

                try
                {
                    using Stream content = entry.Open();
                    using var buffered = new MemoryStream(checked((int)entry.Length));
                    content.CopyTo(buffered);
                    buffered.Position = 0;
                    arrays[name] = NpyFile.Read(buffered, $"{sourceName}:{entry.FullName}");
                }
                catch (InvalidDataException e)
                {
                    throw new NpyFormatException($"{sourceName}:{entry.FullName}", 0, $"corrupt zip entry: {e.Message}");
                }
            }
        }

        return arrays;
    }

    /// <summary>Writes <paramref name="arrays"/> as NAME.npy entries (stored, like np.savez), atomically.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, NpyArray>> arrays) =>
        AtomicFile.Write(path, stream => Write(stream, arrays));

    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, NpyArray>> arrays)
    {
        using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach ((string name, NpyArray array) in arrays)
        {
            ZipArchiveEntry entry = archive.CreateEntry(name + ".npy", CompressionLevel.NoCompression);
            using Stream content = entry.Open();
            NpyFile.Write(content, array);
        }
    }
}
