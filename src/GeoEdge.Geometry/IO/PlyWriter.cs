using System.Globalization;
using System.Text;

namespace GeoEdge.Geometry.IO;

/// <summary>Writes a point cloud as a PLY file with one vertex element, in ascii or binary of either byte order.</summary>
/// <remarks>
/// Properties are <c>float x, y, z</c> and then every attribute channel in order under its own type
/// (char, uchar, short, ushort, int, uint, float, double). A channel with Count &gt; 1 becomes the
/// scalars NAME_0, NAME_1, ... since PLY has no per-vertex arrays but lists, which tools read as
/// meshes. An organized cloud keeps its grid as PCL's <c>obj_info num_cols/num_rows</c>. Batch and
/// viewpoint have no place in PLY and are not written. Ascii values are shortest round-trip ("R"),
/// so every encoding reads back bit for bit (NaN payloads only in binary).
/// </remarks>
public static class PlyWriter
{
    /// <summary>Writes through <see cref="AtomicFile"/>: readers see the old file or the whole new one.</summary>
    public static void Write(string path, PointCloud cloud, PointCloudEncoding encoding)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        PlyColumn[] columns = Columns(cloud);
        PointCloudEncoding normalized = Normalize(encoding);
        AtomicFile.Write(path, stream => WriteChecked(stream, cloud, normalized, columns));
    }

    public static void Write(Stream stream, PointCloud cloud, PointCloudEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(stream);
        PlyColumn[] columns = Columns(cloud);
        WriteChecked(stream, cloud, Normalize(encoding), columns);
    }

    private static void WriteChecked(Stream stream, PointCloud cloud, PointCloudEncoding encoding, PlyColumn[] columns)
    {
        stream.Write(Header(cloud, encoding, columns));
        if (encoding == PointCloudEncoding.Ascii)
        {
            PlyRecordWriter.WriteAscii(stream, cloud, columns);
        }
        else
        {
            PlyRecordWriter.WriteBinary(stream, cloud, columns, encoding == PointCloudEncoding.BinaryBigEndian);
        }
    }

    private static PointCloudEncoding Normalize(PointCloudEncoding encoding) => encoding switch
    {
        PointCloudEncoding.Ascii or PointCloudEncoding.BinaryLittleEndian or PointCloudEncoding.BinaryBigEndian => encoding,
        PointCloudEncoding.Binary => PointCloudEncoding.BinaryLittleEndian,
        _ => throw new ArgumentException($"PLY cannot be written as {encoding}; use Ascii, BinaryLittleEndian or BinaryBigEndian", nameof(encoding)),
    };

    /// <summary>One scalar property per channel element, checked to make a header that reads back the same.</summary>
    private static PlyColumn[] Columns(PointCloud cloud)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        var columns = new List<PlyColumn>();
        var names = new HashSet<string>(StringComparer.Ordinal) { "x", "y", "z" };
        foreach (AttributeChannel channel in cloud.Attributes)
        {
            if (!PlyTypes.TryGetName(channel.Type, out _))
            {
                throw new ArgumentException($"attribute '{channel.Name}' is {channel.Type}; PLY has no 64-bit integer type", nameof(cloud));
            }

            foreach (char c in channel.Name)
            {
                if (c is <= ' ' or > '~')
                {
                    throw new ArgumentException($"attribute name '{channel.Name}' cannot be a PLY property name (spaces or non-ASCII)", nameof(cloud));
                }
            }

            for (int k = 0; k < channel.Count; k++)
            {
                string name = channel.Count == 1 ? channel.Name : string.Create(CultureInfo.InvariantCulture, $"{channel.Name}_{k}");
                if (!names.Add(name))
                {
                    throw new ArgumentException($"attribute property '{name}' would be written twice", nameof(cloud));
                }

                columns.Add(new PlyColumn(name, channel, k));
            }
        }

        return [.. columns];
    }

    private static byte[] Header(PointCloud cloud, PointCloudEncoding encoding, PlyColumn[] columns)
    {
        var sb = new StringBuilder(256);
        sb.Append("ply\n")
          .Append("format ").Append(PointCloudEncodings.Name(encoding)).Append(" 1.0\n")
          .Append("comment written by GeoEdge\n");
        if (cloud.IsOrganized)
        {
            sb.Append(CultureInfo.InvariantCulture, $"obj_info num_cols {cloud.Width}\n")
              .Append(CultureInfo.InvariantCulture, $"obj_info num_rows {cloud.Height}\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"element vertex {cloud.Count}\n")
          .Append("property float x\nproperty float y\nproperty float z\n");
        foreach (PlyColumn column in columns)
        {
            sb.Append("property ").Append(PlyTypes.Name(column.Channel.Type)).Append(' ').Append(column.Name).Append('\n');
        }

        sb.Append("end_header\n");
        return System.Text.Encoding.ASCII.GetBytes(sb.ToString());
    }
}
