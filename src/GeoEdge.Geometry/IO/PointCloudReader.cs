namespace GeoEdge.Geometry.IO;

/// <summary>Reads a PCD or PLY file, choosing the reader from the file's first bytes (not its extension).</summary>
public static class PointCloudReader
{
    public static PointCloudFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return DetectFormat(path) switch
        {
            PointCloudFormat.Ply => PlyReader.Read(path),
            _ => PcdReader.Read(path),
        };
    }

    /// <summary>PLY files start with the line "ply"; everything else is read as PCD, whose reader reports what is wrong.</summary>
    public static PointCloudFormat DetectFormat(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
        {
            read = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        }

        return read >= 4 && magic[0] == (byte)'p' && magic[1] == (byte)'l' && magic[2] == (byte)'y' && (magic[3] == (byte)'\n' || magic[3] == (byte)'\r')
            ? PointCloudFormat.Ply
            : PointCloudFormat.Pcd;
    }
}
