namespace GeoEdge.Geometry.IO;

/// <summary>File container of a point cloud.</summary>
public enum PointCloudFormat
{
    Pcd,
    Ply,
}

/// <summary>How a file stores its data. PCD uses Ascii, Binary, BinaryCompressed; PLY uses Ascii, BinaryLittleEndian, BinaryBigEndian.</summary>
public enum PointCloudEncoding
{
    Ascii,
    Binary,
    BinaryCompressed,
    BinaryLittleEndian,
    BinaryBigEndian,
}

/// <summary>Names of encodings as the file formats and the CLI spell them.</summary>
public static class PointCloudEncodings
{
    public static string Name(PointCloudEncoding encoding) => encoding switch
    {
        PointCloudEncoding.Ascii => "ascii",
        PointCloudEncoding.Binary => "binary",
        PointCloudEncoding.BinaryCompressed => "binary_compressed",
        PointCloudEncoding.BinaryLittleEndian => "binary_little_endian",
        PointCloudEncoding.BinaryBigEndian => "binary_big_endian",
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "unknown encoding"),
    };

    public static bool TryParse(string name, out PointCloudEncoding encoding)
    {
        switch (name)
        {
            case "ascii": encoding = PointCloudEncoding.Ascii; return true;
            case "binary": encoding = PointCloudEncoding.Binary; return true;
            case "binary_compressed": encoding = PointCloudEncoding.BinaryCompressed; return true;
            case "binary_little_endian": encoding = PointCloudEncoding.BinaryLittleEndian; return true;
            case "binary_big_endian": encoding = PointCloudEncoding.BinaryBigEndian; return true;
            default: encoding = default; return false;
        }
    }
}
