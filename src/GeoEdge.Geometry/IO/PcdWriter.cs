using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace GeoEdge.Geometry.IO;

/// <summary>Writes PCD v0.7 files the way PCL 1.13's PCDWriter does, so PCL and Open3D read them back.</summary>
/// <remarks>
/// Fields are x y z (F4) then the attribute channels in order. binary is point-major records;
/// binary_compressed is LZF over field planes (all x, all y, ..., each field's Count values per point),
/// exactly PCL's layout. ascii writes the shortest digits that read back to the same value and, like PCL,
/// writes an F4 field named "rgb" as its uint32 bits under TYPE U (packed colours are often NaN as floats).
/// The batch vector, if any, is not written: PCD has no place for it.
/// </remarks>
public static class PcdWriter
{
    private const int ChunkBytes = 1 << 16;

    /// <summary>Writes <paramref name="cloud"/> to <paramref name="path"/> atomically (temp file, flush, rename).</summary>
    public static void Write(string path, PointCloud cloud, PointCloudEncoding encoding)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Validate(cloud, encoding);
        AtomicFile.Write(path, stream => Write(stream, cloud, encoding));
    }

    public static void Write(Stream stream, PointCloud cloud, PointCloudEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Validate(cloud, encoding);
        switch (encoding)
        {
            case PointCloudEncoding.Ascii:
                stream.Write(Header(cloud, "ascii", rgbAsUnsigned: true));
                PcdAsciiEncoder.Write(stream, cloud);
                break;
            case PointCloudEncoding.Binary:
                stream.Write(Header(cloud, "binary", rgbAsUnsigned: false));
                WriteRecords(stream, cloud);
                break;
            default:
                stream.Write(Header(cloud, "binary_compressed", rgbAsUnsigned: false));
                WriteCompressed(stream, cloud);
                break;
        }
    }

    /// <summary>True for the field PCL writes as uint32 in ascii files.</summary>
    internal static bool IsAsciiRgb(AttributeChannel channel) =>
        channel.Name == "rgb" && channel.Type == ScalarType.Float32;

    private static void Validate(PointCloud cloud, PointCloudEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        if (encoding is not (PointCloudEncoding.Ascii or PointCloudEncoding.Binary or PointCloudEncoding.BinaryCompressed))
        {
            throw new ArgumentException($"PCD has no {encoding} encoding; use Ascii, Binary or BinaryCompressed", nameof(encoding));
        }

        Viewpoint v = cloud.Viewpoint;
        foreach (double value in (double[])[v.Tx, v.Ty, v.Tz, v.Qw, v.Qx, v.Qy, v.Qz])
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentException($"viewpoint {v} has a non-finite value; PCD readers reject it", nameof(cloud));
            }
        }

        long pointSize = 12;
        foreach (AttributeChannel channel in cloud.Attributes)
        {
            foreach (char ch in channel.Name)
            {
                if (ch is <= ' ' or > '~')
                {
                    throw new ArgumentException($"attribute name '{channel.Name}' cannot be written in a PCD header (spaces, control or non-ASCII characters)", nameof(cloud));
                }
            }

            if (channel.Name == PcdHeader.PaddingName)
            {
                throw new ArgumentException("an attribute named '_' would be read back as PCL padding and dropped", nameof(cloud));
            }

            pointSize += channel.Field.SizeInBytes;
        }

        if (pointSize > PcdHeader.MaxPointSize || pointSize * cloud.Count > Array.MaxLength)
        {
            throw new ArgumentException($"{cloud.Count} points of {pointSize} bytes are too large for one PCD file", nameof(cloud));
        }
    }

    private static byte[] Header(PointCloud cloud, string data, bool rgbAsUnsigned)
    {
        var names = new StringBuilder("x y z");
        var sizes = new StringBuilder("4 4 4");
        var types = new StringBuilder("F F F");
        var counts = new StringBuilder("1 1 1");
        foreach (AttributeChannel channel in cloud.Attributes)
        {
            names.Append(' ').Append(channel.Name);
            sizes.Append(' ').Append(ScalarTypes.SizeOf(channel.Type).ToString(CultureInfo.InvariantCulture));
            types.Append(' ').Append(rgbAsUnsigned && IsAsciiRgb(channel) ? 'U' : TypeLetter(channel.Type));
            counts.Append(' ').Append(channel.Count.ToString(CultureInfo.InvariantCulture));
        }

        Viewpoint v = cloud.Viewpoint;
        string text = string.Create(
            CultureInfo.InvariantCulture,
            $"""
            # .PCD v0.7 - Point Cloud Data file format
            VERSION 0.7
            FIELDS {names}
            SIZE {sizes}
            TYPE {types}
            COUNT {counts}
            WIDTH {cloud.Width}
            HEIGHT {cloud.Height}
            VIEWPOINT {v.Tx:R} {v.Ty:R} {v.Tz:R} {v.Qw:R} {v.Qx:R} {v.Qy:R} {v.Qz:R}
            POINTS {cloud.Count}
            DATA {data}

            """);
        return Encoding.ASCII.GetBytes(text.ReplaceLineEndings("\n"));
    }

    private static char TypeLetter(ScalarType type) =>
        ScalarTypes.IsFloatingPoint(type) ? 'F' : ScalarTypes.IsSigned(type) ? 'I' : 'U';

    private static void WriteRecords(Stream stream, PointCloud cloud)
    {
        int pointSize = 12;
        foreach (AttributeChannel channel in cloud.Attributes)
        {
            pointSize += channel.Field.SizeInBytes;
        }

        int chunkPoints = Math.Max(1, ChunkBytes / pointSize);
        byte[] buffer = new byte[chunkPoints * pointSize];
        ReadOnlySpan<byte> xyz = MemoryMarshal.AsBytes(cloud.Positions.AsSpan());
        for (int first = 0; first < cloud.Count; first += chunkPoints)
        {
            int n = Math.Min(chunkPoints, cloud.Count - first);
            PcdStridedCopy.Copy(xyz, first * 12, 12, buffer, 0, pointSize, 12, n);
            int offset = 12;
            foreach (AttributeChannel channel in cloud.Attributes)
            {
                int size = channel.Field.SizeInBytes;
                PcdStridedCopy.Copy(channel.Bytes, first * size, size, buffer, offset, pointSize, size, n);
                offset += size;
            }

            stream.Write(buffer, 0, n * pointSize);
        }
    }

    private static void WriteCompressed(Stream stream, PointCloud cloud)
    {
        int n = cloud.Count;
        long total = 12L * n;
        foreach (AttributeChannel channel in cloud.Attributes)
        {
            total += channel.Bytes.Length;
        }

        byte[] planes = GC.AllocateUninitializedArray<byte>((int)total);
        ReadOnlySpan<byte> xyz = MemoryMarshal.AsBytes(cloud.Positions.AsSpan());
        for (int axis = 0; axis < 3; axis++)
        {
            PcdStridedCopy.Copy(xyz, axis * 4, 12, planes, axis * 4 * n, 4, 4, n);
        }

        int offset = 12 * n;
        foreach (AttributeChannel channel in cloud.Attributes)
        {
            channel.Bytes.CopyTo(planes.AsSpan(offset));
            offset += channel.Bytes.Length;
        }

        byte[] output = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, 8 + Lzf.MaxCompressedLength(total)));
        int compressed = Lzf.Compress(planes, output.AsSpan(8));
        if (compressed == 0 && total > 0)
        {
            throw new InvalidOperationException($"LZF could not fit {total} bytes into {output.Length - 8}");
        }

        BinaryPrimitives.WriteUInt32LittleEndian(output, (uint)compressed);
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(4), (uint)total);
        stream.Write(output, 0, 8 + compressed);
    }
}
