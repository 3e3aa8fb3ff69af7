using Microsoft.Win32.SafeHandles;

namespace GeoEdge.Geometry.IO;

/// <summary>Reads PLY (Stanford polygon) files, ascii and binary, into a point cloud from their vertex element.</summary>
/// <remarks>
/// x, y, z (any numeric type) become <see cref="PointCloud.Positions"/> as floats; every other scalar
/// vertex property becomes a one-element <see cref="AttributeChannel"/> of its declared type.
/// <see cref="PointCloudFile.Fields"/> lists the vertex's scalar properties in file order, x, y, z
/// included; list properties of the vertex and all other elements (faces, edges, PCL's camera, ...)
/// are checked and skipped. PCL's <c>obj_info num_cols/num_rows</c> make the cloud organized when
/// they match the vertex count. Malformed input raises <see cref="PointCloudFormatException"/>.
/// </remarks>
public static class PlyReader
{
    /// <summary>Reads the file with a single read into one buffer, decoded in place.</summary>
    public static PointCloudFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        long length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength)
        {
            throw new PointCloudFormatException(path, null, null, $"file is {length} bytes; PLY files over {Array.MaxLength} bytes are not supported");
        }

        byte[] buffer = GC.AllocateUninitializedArray<byte>((int)length);
        int read = 0;
        while (read < buffer.Length)
        {
            int n = RandomAccess.Read(handle, buffer.AsSpan(read), read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return Decode(buffer.AsSpan(0, read), path);
    }

    /// <summary>Reads from the current position to the end of <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static PointCloudFile Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (stream.CanSeek)
        {
            long remaining = Math.Max(0, stream.Length - stream.Position);
            if (remaining > Array.MaxLength)
            {
                throw new PointCloudFormatException(sourceName, null, null, $"stream holds {remaining} bytes; PLY data over {Array.MaxLength} bytes is not supported");
            }

            byte[] buffer = GC.AllocateUninitializedArray<byte>((int)remaining);
            int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return Decode(buffer.AsSpan(0, read), sourceName);
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Decode(copy.GetBuffer().AsSpan(0, (int)copy.Length), sourceName);
    }

    private static PointCloudFile Decode(ReadOnlySpan<byte> file, string source)
    {
        PlyHeader header = PlyHeader.Parse(file, source);
        header.CheckFits(file.Length, source);
        PlyElement? vertex = header.Find("vertex");
        if (vertex is null)
        {
            PointCloudFormatException.ThrowAtLine(source, header.LineCount, "header declares no 'vertex' element");
        }

        PlyVertexSink sink = PlyVertexSink.Create(vertex, source);
        if (header.Encoding == PointCloudEncoding.Ascii)
        {
            PlyAsciiDecoder.Decode(file, header, sink, source);
        }
        else
        {
            PlyBinaryDecoder.Decode(file, header, sink, source);
        }

        return new PointCloudFile(sink.ToCloud(header.Columns, header.Rows), PointCloudFormat.Ply, header.Encoding, sink.Fields, header.Version);
    }
}
