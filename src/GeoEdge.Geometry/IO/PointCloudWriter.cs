namespace GeoEdge.Geometry.IO;

/// <summary>Writes a cloud as PCD or PLY, chosen by the file extension, atomically.</summary>
public static class PointCloudWriter
{
    public static void Write(string path, PointCloud cloud, PointCloudEncoding? encoding = null)
    {
        PointCloudFormat format = FormatOf(path);
        PointCloudEncoding chosen = encoding ?? DefaultEncoding(format);
        if (!Supports(format, chosen))
        {
            throw new ArgumentException(
                $"{format.ToString().ToUpperInvariant()} files cannot be written as {PointCloudEncodings.Name(chosen)}",
                nameof(encoding));
        }

        if (format == PointCloudFormat.Ply)
        {
            PlyWriter.Write(path, cloud, chosen);
        }
        else
        {
            PcdWriter.Write(path, cloud, chosen);
        }
    }

    /// <summary>The format an output path asks for: ".ply" is PLY, ".pcd" is PCD, anything else is an error.</summary>
    public static PointCloudFormat FormatOf(string path) => Path.GetExtension(path).ToUpperInvariant() switch
    {
        ".PLY" => PointCloudFormat.Ply,
        ".PCD" => PointCloudFormat.Pcd,
        _ => throw new ArgumentException($"'{path}': output must end in .pcd or .ply", nameof(path)),
    };

    public static PointCloudEncoding DefaultEncoding(PointCloudFormat format) =>
        format == PointCloudFormat.Ply ? PointCloudEncoding.BinaryLittleEndian : PointCloudEncoding.Binary;

    public static bool Supports(PointCloudFormat format, PointCloudEncoding encoding) => format == PointCloudFormat.Ply
        ? encoding is PointCloudEncoding.Ascii or PointCloudEncoding.BinaryLittleEndian or PointCloudEncoding.BinaryBigEndian
        : encoding is PointCloudEncoding.Ascii or PointCloudEncoding.Binary or PointCloudEncoding.BinaryCompressed;
}
