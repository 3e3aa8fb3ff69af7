using System.Runtime.InteropServices;

namespace GeoEdge.Geometry.IO;

/// <summary>Turns PCD binary data into a cloud: point records (DATA binary) or field planes (decompressed binary_compressed).</summary>
internal static class PcdBinaryDecoder
{
    /// <summary>Decodes <c>Points</c> records of <c>PointSize</c> bytes each, fields interleaved as declared.</summary>
    public static PointCloud DecodeRecords(PcdHeader header, ReadOnlySpan<byte> records)
    {
        int n = header.Points;
        int stride = header.PointSize;
        float[] positions = GC.AllocateUninitializedArray<float>(n * 3);
        if (IsContiguousFloatXyz(header))
        {
            PcdStridedCopy.Copy(records, header.Offsets[header.X], stride, MemoryMarshal.AsBytes(positions.AsSpan()), 0, 12, 12, n);
        }
        else
        {
            ToPositions(header, header.X, records, header.Offsets[header.X], stride, positions, 0);
            ToPositions(header, header.Y, records, header.Offsets[header.Y], stride, positions, 1);
            ToPositions(header, header.Z, records, header.Offsets[header.Z], stride, positions, 2);
        }

        var channels = new List<AttributeChannel>(header.Fields.Length);
        for (int f = 0; f < header.Fields.Length; f++)
        {
            if (!header.IsAttribute(f))
            {
                continue;
            }

            PointField field = header.Fields[f];
            byte[] bytes = GC.AllocateUninitializedArray<byte>(n * field.SizeInBytes);
            PcdStridedCopy.Copy(records, header.Offsets[f], stride, bytes, 0, field.SizeInBytes, field.SizeInBytes, n);
            channels.Add(new AttributeChannel(field.Name, field.Type, field.Count, n, bytes));
        }

        return new PointCloud(positions, header.Width, header.Height, channels, viewpoint: header.Viewpoint);
    }

    /// <summary>Decodes field planes: all values of the first non-padding field, then the next, each <c>Count * size</c> bytes per point.</summary>
    public static PointCloud DecodePlanes(PcdHeader header, ReadOnlySpan<byte> planes)
    {
        int n = header.Points;
        int[] planeOffsets = new int[header.Fields.Length];
        int offset = 0;
        for (int f = 0; f < header.Fields.Length; f++)
        {
            planeOffsets[f] = offset;
            offset += header.IsPadding(f) ? 0 : n * header.Fields[f].SizeInBytes;
        }

        float[] positions = GC.AllocateUninitializedArray<float>(n * 3);
        if (IsFloatXyz(header))
        {
            PcdStridedCopy.InterleaveXyz(planes, planeOffsets[header.X], planeOffsets[header.Y], planeOffsets[header.Z], positions);
        }
        else
        {
            ToPositions(header, header.X, planes, planeOffsets[header.X], header.Fields[header.X].SizeInBytes, positions, 0);
            ToPositions(header, header.Y, planes, planeOffsets[header.Y], header.Fields[header.Y].SizeInBytes, positions, 1);
            ToPositions(header, header.Z, planes, planeOffsets[header.Z], header.Fields[header.Z].SizeInBytes, positions, 2);
        }

        var channels = new List<AttributeChannel>(header.Fields.Length);
        for (int f = 0; f < header.Fields.Length; f++)
        {
            if (header.IsAttribute(f))
            {
                PointField field = header.Fields[f];
                byte[] bytes = GC.AllocateUninitializedArray<byte>(n * field.SizeInBytes);
                planes.Slice(planeOffsets[f], bytes.Length).CopyTo(bytes);
                channels.Add(new AttributeChannel(field.Name, field.Type, field.Count, n, bytes));
            }
        }

        return new PointCloud(positions, header.Width, header.Height, channels, viewpoint: header.Viewpoint);
    }

    private static bool IsFloatXyz(PcdHeader header) =>
        header.Fields[header.X].Type == ScalarType.Float32
        && header.Fields[header.Y].Type == ScalarType.Float32
        && header.Fields[header.Z].Type == ScalarType.Float32;

    private static bool IsContiguousFloatXyz(PcdHeader header) =>
        IsFloatXyz(header)
        && header.Offsets[header.Y] == header.Offsets[header.X] + 4
        && header.Offsets[header.Z] == header.Offsets[header.X] + 8;

    private static void ToPositions(PcdHeader header, int field, ReadOnlySpan<byte> src, int offset, int stride, float[] positions, int axis)
    {
        int n = header.Points;
        switch (header.Fields[field].Type)
        {
            case ScalarType.Float32:
                PcdStridedCopy.Copy(src, offset, stride, MemoryMarshal.AsBytes(positions.AsSpan()), axis * 4, 12, 4, n);
                break;
            case ScalarType.Float64: PcdStridedCopy.ToPositions<double>(src, offset, stride, positions, axis, n); break;
            case ScalarType.Int8: PcdStridedCopy.ToPositions<sbyte>(src, offset, stride, positions, axis, n); break;
            case ScalarType.UInt8: PcdStridedCopy.ToPositions<byte>(src, offset, stride, positions, axis, n); break;
            case ScalarType.Int16: PcdStridedCopy.ToPositions<short>(src, offset, stride, positions, axis, n); break;
            case ScalarType.UInt16: PcdStridedCopy.ToPositions<ushort>(src, offset, stride, positions, axis, n); break;
            case ScalarType.Int32: PcdStridedCopy.ToPositions<int>(src, offset, stride, positions, axis, n); break;
            case ScalarType.UInt32: PcdStridedCopy.ToPositions<uint>(src, offset, stride, positions, axis, n); break;
            case ScalarType.Int64: PcdStridedCopy.ToPositions<long>(src, offset, stride, positions, axis, n); break;
            case ScalarType.UInt64: PcdStridedCopy.ToPositions<ulong>(src, offset, stride, positions, axis, n); break;
            default: throw new InvalidOperationException($"unknown scalar type {header.Fields[field].Type}");
        }
    }
}
