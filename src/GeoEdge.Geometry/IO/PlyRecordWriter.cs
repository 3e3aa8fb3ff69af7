using System.Buffers.Binary;
using System.Globalization;

namespace GeoEdge.Geometry.IO;

/// <summary>One element of one attribute channel, written as one scalar PLY property.</summary>
internal readonly record struct PlyColumn(string Name, AttributeChannel Channel, int Component)
{
    public int Size => ScalarTypes.SizeOf(Channel.Type);

    /// <summary>The bytes of this column for point <paramref name="point"/>, little-endian.</summary>
    public ReadOnlySpan<byte> Value(int point) => Channel.Bytes.Slice(((point * Channel.Count) + Component) * Size, Size);
}

/// <summary>Writes the vertex records of a PLY file in chunks of about 64 KiB.</summary>
internal static class PlyRecordWriter
{
    private const int ChunkBytes = 1 << 16;

    /// <summary>The longest text of one value: "R" doubles take at most 24 characters, integers 11.</summary>
    private const int MaxValueChars = 32;

    public static void WriteBinary(Stream stream, PointCloud cloud, PlyColumn[] columns, bool bigEndian)
    {
        int recordSize = 12;
        foreach (PlyColumn column in columns)
        {
            recordSize += column.Size;
        }

        int perChunk = Math.Max(1, ChunkBytes / recordSize);
        byte[] buffer = new byte[perChunk * recordSize];
        float[] xyz = cloud.Positions;
        for (int start = 0; start < cloud.Count; start += perChunk)
        {
            int records = Math.Min(perChunk, cloud.Count - start);
            for (int r = 0; r < records; r++)
            {
                Span<byte> record = buffer.AsSpan(r * recordSize, recordSize);
                int p = (start + r) * 3;
                for (int axis = 0; axis < 3; axis++)
                {
                    if (bigEndian)
                    {
                        BinaryPrimitives.WriteSingleBigEndian(record[(axis * 4)..], xyz[p + axis]);
                    }
                    else
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(record[(axis * 4)..], xyz[p + axis]);
                    }
                }

                int at = 12;
                foreach (PlyColumn column in columns)
                {
                    Span<byte> dst = record.Slice(at, column.Size);
                    column.Value(start + r).CopyTo(dst);
                    if (bigEndian)
                    {
                        dst.Reverse();
                    }

                    at += column.Size;
                }
            }

            stream.Write(buffer, 0, records * recordSize);
        }
    }

    public static void WriteAscii(Stream stream, PointCloud cloud, PlyColumn[] columns)
    {
        int maxLine = (columns.Length + 3) * (MaxValueChars + 1);
        byte[] buffer = new byte[Math.Max(ChunkBytes, 2 * maxLine)];
        int used = 0;
        float[] xyz = cloud.Positions;
        for (int i = 0; i < cloud.Count; i++)
        {
            if (buffer.Length - used < maxLine)
            {
                stream.Write(buffer, 0, used);
                used = 0;
            }

            Span<byte> line = buffer.AsSpan(used);
            int n = 0;
            for (int axis = 0; axis < 3; axis++)
            {
                n += FormatSingle(line[n..], xyz[(i * 3) + axis]);
                line[n++] = (byte)' ';
            }

            foreach (PlyColumn column in columns)
            {
                n += Format(line[n..], column.Value(i), column.Channel.Type);
                line[n++] = (byte)' ';
            }

            line[n - 1] = (byte)'\n';
            used += n;
        }

        stream.Write(buffer, 0, used);
    }

    private static int Format(Span<byte> dst, ReadOnlySpan<byte> b, ScalarType type)
    {
        int n;
        bool ok = type switch
        {
            ScalarType.Int8 => ((sbyte)b[0]).TryFormat(dst, out n, default, CultureInfo.InvariantCulture),
            ScalarType.UInt8 => b[0].TryFormat(dst, out n, default, CultureInfo.InvariantCulture),
            ScalarType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(b).TryFormat(dst, out n, default, CultureInfo.InvariantCulture),
            ScalarType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(b).TryFormat(dst, out n, default, CultureInfo.InvariantCulture),
            ScalarType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(b).TryFormat(dst, out n, default, CultureInfo.InvariantCulture),
            ScalarType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(b).TryFormat(dst, out n, default, CultureInfo.InvariantCulture),
            ScalarType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(b).TryFormat(dst, out n, "R", CultureInfo.InvariantCulture),
            _ => BinaryPrimitives.ReadDoubleLittleEndian(b).TryFormat(dst, out n, "R", CultureInfo.InvariantCulture),
        };
        return ok ? n : throw new InvalidOperationException("value text longer than its reserved space");
    }

    private static int FormatSingle(Span<byte> dst, float value) =>
        value.TryFormat(dst, out int n, "R", CultureInfo.InvariantCulture) ? n : throw new InvalidOperationException("value text longer than its reserved space");
}
