using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace GeoEdge.Geometry.IO;

/// <summary>Reads PCD files (Point Cloud Library format, v0.6 and v0.7; ascii, binary and binary_compressed data).</summary>
/// <remarks>
/// x, y and z (any declared type) become <see cref="PointCloud.Positions"/> as floats; every other field
/// becomes an <see cref="AttributeChannel"/> with its declared type and count, bit for bit; fields named
/// "_" are PCL's padding and are reported in <see cref="PointCloudFile.Fields"/> but not kept. A file
/// without x, y and z is refused: clouds without positions are not supported. Malformed input raises
/// <see cref="PointCloudFormatException"/> naming the file and the byte offset or header line at fault.
/// </remarks>
public static class PcdReader
{
    public static PointCloudFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        return Read(stream, path);
    }

    /// <summary>Reads one PCD document from the current position of <paramref name="stream"/>; offsets in errors count from there.</summary>
    public static PointCloudFile Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        if (!BitConverter.IsLittleEndian)
        {
            // Channels hold little-endian bytes as typed views; a big-endian host would need a swapping decoder.
            throw new PlatformNotSupportedException("PCD reading needs a little-endian host");
        }

        var input = new PcdInput(stream, sourceName);
        byte[] headerBytes = input.ReadHeader(out int headerLength);
        PcdHeader header = PcdHeaderParser.Parse(headerBytes.AsSpan(0, headerLength), sourceName);
        PointCloud cloud = header.Points == 0 ? Empty(header)
            : header.Encoding switch
            {
                PointCloudEncoding.Ascii => ReadAscii(input, header, sourceName),
                PointCloudEncoding.Binary => ReadBinary(input, header),
                _ => ReadCompressed(input, header, sourceName),
            };
        return new PointCloudFile(cloud, PointCloudFormat.Pcd, header.Encoding, header.Fields, header.Version);
    }

    private static PointCloud ReadAscii(PcdInput input, PcdHeader header, string file)
    {
        byte[] data = input.RentToEnd("ascii data", out int length);
        try
        {
            return PcdAsciiDecoder.Decode(header, data.AsSpan(0, length), file);
        }
        finally
        {
            PcdInput.Return(data);
        }
    }

    private static PointCloud ReadBinary(PcdInput input, PcdHeader header)
    {
        long size = (long)header.Points * header.PointSize;
        if (header.PointSize == 12 && input.Remaining is long remaining && remaining >= size && IsFloatXyzOnly(header))
        {
            // The records are the [N,3] positions buffer itself: read them straight into it.
            float[] positions = GC.AllocateUninitializedArray<float>(header.Points * 3);
            input.ReadExactly(MemoryMarshal.AsBytes(positions.AsSpan()), "binary data");
            return new PointCloud(positions, header.Width, header.Height, viewpoint: header.Viewpoint);
        }

        byte[] records = input.RentExactly(size, "binary data");
        try
        {
            return PcdBinaryDecoder.DecodeRecords(header, records.AsSpan(0, (int)size));
        }
        finally
        {
            PcdInput.Return(records);
        }
    }

    private static PointCloud ReadCompressed(PcdInput input, PcdHeader header, string file)
    {
        Span<byte> sizes = stackalloc byte[8];
        long sizesOffset = input.Position;
        input.ReadExactly(sizes, "binary_compressed size header");
        uint compressed = BinaryPrimitives.ReadUInt32LittleEndian(sizes);
        uint uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(sizes[4..]);
        long expected = (long)header.Points * header.PackedPointSize;
        if (uncompressed != expected)
        {
            PointCloudFormatException.ThrowAtOffset(file, sizesOffset + 4, $"uncompressed size {uncompressed} is not POINTS {header.Points} x {header.PackedPointSize} bytes = {expected}");
        }

        if (expected > (long)compressed * Lzf.MaxExpansion || expected > Array.MaxLength)
        {
            PointCloudFormatException.ThrowAtOffset(file, sizesOffset, $"compressed size {compressed} cannot hold {expected} bytes of data");
        }

        long compressedOffset = input.Position;
        byte[] packed = input.RentExactly(compressed, "compressed data");
        byte[] planes = ArrayPool<byte>.Shared.Rent((int)expected);
        try
        {
            int produced = Lzf.Decompress(packed.AsSpan(0, (int)compressed), planes.AsSpan(0, (int)expected), file, compressedOffset);
            if (produced != expected)
            {
                PointCloudFormatException.ThrowAtOffset(file, compressedOffset + compressed, $"compressed data expands to {produced} bytes, the header says {expected}");
            }

            return PcdBinaryDecoder.DecodePlanes(header, planes.AsSpan(0, (int)expected));
        }
        finally
        {
            PcdInput.Return(packed);
            ArrayPool<byte>.Shared.Return(planes);
        }
    }

    private static bool IsFloatXyzOnly(PcdHeader header) =>
        header.X == 0 && header.Y == 1 && header.Z == 2
        && header.Fields[0].Type == ScalarType.Float32
        && header.Fields[1].Type == ScalarType.Float32
        && header.Fields[2].Type == ScalarType.Float32;

    private static PointCloud Empty(PcdHeader header)
    {
        var channels = new List<AttributeChannel>();
        for (int f = 0; f < header.Fields.Length; f++)
        {
            if (header.IsAttribute(f))
            {
                PointField field = header.Fields[f];
                channels.Add(new AttributeChannel(field.Name, field.Type, field.Count, 0));
            }
        }

        return new PointCloud([], header.Width, header.Height, channels, viewpoint: header.Viewpoint);
    }
}
