using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace GeoEdge.Geometry.IO;

/// <summary>Reads and writes NumPy .npy files (format 1.0/2.0/3.0, C order, little-endian bool/int32/int64/float32/float64).</summary>
public static class NpyFile
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static void Write(string path, NpyArray array) => AtomicFile.Write(path, stream => Write(stream, array));

    public static void Write(Stream stream, NpyArray array)
    {
        string shape = array.Shape.Length switch
        {
            0 => "()",
            1 => $"({array.Shape[0]},)",
            _ => "(" + string.Join(", ", array.Shape) + ")",
        };
        string header = $"{{'descr': '{Descr(array.DType)}', 'fortran_order': False, 'shape': {shape}, }}";

        // numpy pads the header with spaces so that the data starts on a 64-byte boundary.
        int unpadded = Magic.Length + 2 + 2 + header.Length + 1;
        int padding = (64 - (unpadded % 64)) % 64;
        header = header + new string(' ', padding) + "\n";
        Span<byte> prefix = stackalloc byte[10];
        Magic.CopyTo(prefix);
        prefix[6] = 1;
        prefix[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(prefix[8..], checked((ushort)header.Length));
        stream.Write(prefix);
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(array.Data);
    }

    public static NpyArray Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Reads one array; errors name <paramref name="sourceName"/> and the byte offset.</summary>
    public static NpyArray Read(Stream stream, string sourceName)
    {
        Span<byte> prefix = stackalloc byte[12];
        if (stream.ReadAtLeast(prefix[..8], 8, throwOnEndOfStream: false) < 8 || !prefix[..6].SequenceEqual(Magic))
        {
            throw new NpyFormatException(sourceName, 0, "not a .npy file (magic \\x93NUMPY missing)");
        }

        byte major = prefix[6];
        int headerLength;
        long offset;
        if (major == 1)
        {
            ReadExactly(stream, prefix.Slice(8, 2), sourceName, 8);
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]);
            offset = 10;
        }
        else if (major is 2 or 3)
        {
            ReadExactly(stream, prefix.Slice(8, 4), sourceName, 8);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]);
            if (length > 1 << 20)
            {
                throw new NpyFormatException(sourceName, 8, $"header length {length} is absurd");
            }

            headerLength = (int)length;
            offset = 12;
        }
        else
        {
            throw new NpyFormatException(sourceName, 6, $"unsupported .npy format version {major}");
        }

        byte[] headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, sourceName, offset);
        string header = Encoding.UTF8.GetString(headerBytes);
        (NpyDType dtype, int[] shape) = ParseHeader(header, sourceName, offset);
        long dataOffset = offset + headerLength;
        long bytes = NpyArray.ElementCount(shape) * NpyArray.ElementSize(dtype);
        if (stream.CanSeek && stream.Length - dataOffset < bytes)
        {
            throw new NpyFormatException(sourceName, dataOffset, $"data is truncated: shape needs {bytes} bytes, file has {stream.Length - dataOffset}");
        }

        if (bytes > Array.MaxLength)
        {
            throw new NpyFormatException(sourceName, dataOffset, $"array of {bytes} bytes is too large");
        }

        byte[] data = new byte[bytes];
        ReadExactly(stream, data, sourceName, dataOffset);
        return new NpyArray(dtype, shape, data);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string sourceName, long offset)
    {
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
        {
            throw new NpyFormatException(sourceName, offset + read, $"file ends early: wanted {buffer.Length} bytes, got {read}");
        }
    }

    private static string Descr(NpyDType dtype) => dtype switch
    {
        NpyDType.Bool => "|b1",
        NpyDType.Int32 => "<i4",
        NpyDType.Int64 => "<i8",
        NpyDType.Float32 => "<f4",
        NpyDType.Float64 => "<f8",
        NpyDType.UInt8 => "|u1",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    private static (NpyDType DType, int[] Shape) ParseHeader(string header, string sourceName, long offset)
    {
        string descr = DictValue(header, "descr", sourceName, offset).Trim().Trim('\'', '"');
        NpyDType dtype = descr switch
        {
            "|b1" or "b1" or "?" => NpyDType.Bool,
            "<i4" or "i4" => NpyDType.Int32,
            "<i8" or "i8" => NpyDType.Int64,
            "<f4" or "f4" => NpyDType.Float32,
            "<f8" or "f8" => NpyDType.Float64,
            "|u1" or "u1" or "<u1" => NpyDType.UInt8,
            _ => throw new NpyFormatException(sourceName, offset, $"unsupported dtype '{descr}' (bool, |u1, <i4, <i8, <f4, <f8 are supported)"),
        };
        string fortran = DictValue(header, "fortran_order", sourceName, offset).Trim();
        if (fortran != "False")
        {
            throw new NpyFormatException(sourceName, offset, "Fortran-order arrays are not supported: save with np.ascontiguousarray");
        }

        string shapeText = DictValue(header, "shape", sourceName, offset).Trim();
        if (shapeText.Length < 2 || shapeText[0] != '(' || shapeText[^1] != ')')
        {
            throw new NpyFormatException(sourceName, offset, $"malformed shape '{shapeText}'");
        }

        var dims = new List<int>();
        foreach (string part in shapeText[1..^1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int dim))
            {
                throw new NpyFormatException(sourceName, offset, $"malformed shape dimension '{part}'");
            }

            dims.Add(dim);
        }

        return (dtype, [.. dims]);
    }

    // The header is a Python dict literal; values are a quoted string, a bool or a parenthesized tuple.
    private static string DictValue(string header, string key, string sourceName, long offset)
    {
        int k = header.IndexOf("'" + key + "'", StringComparison.Ordinal);
        int colon = k < 0 ? -1 : header.IndexOf(':', k);
        if (colon < 0)
        {
            throw new NpyFormatException(sourceName, offset, $"header has no '{key}'");
        }

        int start = colon + 1;
        while (start < header.Length && header[start] == ' ')
        {
            start++;
        }

        int end = start < header.Length && header[start] == '(' ? header.IndexOf(')', start) + 1 : header.IndexOf(',', start);
        if (end <= start)
        {
            throw new NpyFormatException(sourceName, offset, $"malformed value for '{key}'");
        }

        return header[start..end];
    }
}
