namespace GeoEdge.Geometry.IO;

/// <summary>Decodes the data section of a binary (little- or big-endian) PLY file: the vertex element into a sink, every other element skipped.</summary>
internal static class PlyBinaryDecoder
{
    public static void Decode(ReadOnlySpan<byte> file, PlyHeader header, PlyVertexSink sink, string source)
    {
        bool bigEndian = header.Encoding == PointCloudEncoding.BinaryBigEndian;
        int offset = header.DataOffset;
        foreach (PlyElement element in header.Elements)
        {
            // Records without properties take no bytes, whatever the count says.
            if (element.Properties.Count == 0)
            {
                continue;
            }

            PlyVertexSink? target = ReferenceEquals(element, sink.Element) ? sink : null;
            if (element.HasLists)
            {
                offset = DecodeRows(file, offset, element, target, bigEndian, source);
            }
            else
            {
                int stride = element.MinBinaryRecordSize;
                long bytes = element.Count * stride;
                if (bytes > file.Length - offset)
                {
                    long whole = (file.Length - offset) / stride;
                    PointCloudFormatException.ThrowAtOffset(
                        source,
                        offset + (whole * stride),
                        $"element '{element.Name}' is truncated: record {whole} of {element.Count} ({stride} bytes each) runs past the end of the file ({file.Length} bytes)");
                }

                if (target is not null)
                {
                    DecodeFixed(file.Slice(offset, (int)bytes), stride, target, bigEndian);
                }

                offset += (int)bytes;
            }
        }
    }

    /// <summary>Column by column over records of one size: strided copies, with float x, y, z moved together.</summary>
    private static void DecodeFixed(ReadOnlySpan<byte> rows, int stride, PlyVertexSink sink, bool bigEndian)
    {
        IReadOnlyList<PlyProperty> properties = sink.Element.Properties;
        int xyzAt = bigEndian ? -1 : FindPackedXyz(properties, sink.Targets);
        int at = 0;
        for (int i = 0; i < properties.Count; i++)
        {
            PlyProperty p = properties[i];
            int size = ScalarTypes.SizeOf(p.Type);
            int t = sink.Targets[i];
            if (t >= PlyVertexSink.ChannelBase)
            {
                PlyColumns.Copy(rows, stride, at, size, sink.Channels[t - PlyVertexSink.ChannelBase].Bytes, bigEndian);
            }
            else if (xyzAt < 0)
            {
                PlyColumns.ToFloat(rows, stride, at, p.Type, bigEndian, sink.Positions, t);
            }
            else if (at == xyzAt)
            {
                PlyColumns.CopyXyz(rows, stride, at, sink.Positions);
            }

            at += size;
        }
    }

    /// <summary>Byte offset of x in each record when x, y, z are floats stored in that order side by side; -1 otherwise.</summary>
    private static int FindPackedXyz(IReadOnlyList<PlyProperty> properties, int[] targets)
    {
        int at = 0;
        for (int i = 0; i < properties.Count; i++)
        {
            if (targets[i] == 0)
            {
                bool packed = i + 2 < properties.Count && targets[i + 1] == 1 && targets[i + 2] == 2 &&
                    properties[i].Type == ScalarType.Float32 &&
                    properties[i + 1].Type == ScalarType.Float32 &&
                    properties[i + 2].Type == ScalarType.Float32;
                return packed ? at : -1;
            }

            at += ScalarTypes.SizeOf(properties[i].Type);
        }

        return -1;
    }

    /// <summary>Record by record, for elements whose lists make each record's size different; <paramref name="sink"/> null skips.</summary>
    private static int DecodeRows(ReadOnlySpan<byte> file, int offset, PlyElement element, PlyVertexSink? sink, bool bigEndian, string source)
    {
        IReadOnlyList<PlyProperty> properties = element.Properties;
        for (long r = 0; r < element.Count; r++)
        {
            for (int i = 0; i < properties.Count; i++)
            {
                PlyProperty p = properties[i];
                if (p.IsList)
                {
                    offset = SkipList(file, offset, element, p, r, bigEndian, source);
                    continue;
                }

                int size = ScalarTypes.SizeOf(p.Type);
                if (size > file.Length - offset)
                {
                    ThrowTruncated(source, offset, element, p, r);
                }

                if (sink is not null)
                {
                    Store(file.Slice(offset, size), sink, sink.Targets[i], (int)r, p.Type, bigEndian);
                }

                offset += size;
            }
        }

        return offset;
    }

    private static void Store(ReadOnlySpan<byte> value, PlyVertexSink sink, int target, int row, ScalarType type, bool bigEndian)
    {
        if (target < PlyVertexSink.ChannelBase)
        {
            sink.Positions[(row * 3) + target] = PlyScalar.ReadFloat(value, type, bigEndian);
            return;
        }

        Span<byte> dst = sink.Channels[target - PlyVertexSink.ChannelBase].Bytes.Slice(row * value.Length, value.Length);
        value.CopyTo(dst);
        if (bigEndian)
        {
            dst.Reverse();
        }
    }

    private static int SkipList(ReadOnlySpan<byte> file, int offset, PlyElement element, PlyProperty list, long row, bool bigEndian, string source)
    {
        ScalarType countType = list.CountType!.Value;
        int countSize = ScalarTypes.SizeOf(countType);
        if (countSize > file.Length - offset)
        {
            ThrowTruncated(source, offset, element, list, row);
        }

        long items = PlyScalar.ReadInteger(file.Slice(offset, countSize), countType, bigEndian);
        if (items < 0)
        {
            PointCloudFormatException.ThrowAtOffset(source, offset, $"element '{element.Name}' record {row}: list '{list.Name}' has a negative count {items}");
        }

        long bytes = items * ScalarTypes.SizeOf(list.Type);
        if (bytes > file.Length - offset - countSize)
        {
            PointCloudFormatException.ThrowAtOffset(
                source,
                offset,
                $"element '{element.Name}' record {row}: list '{list.Name}' of {items} items runs past the end of the file ({file.Length} bytes)");
        }

        return offset + countSize + (int)bytes;
    }

    private static void ThrowTruncated(string source, int offset, PlyElement element, PlyProperty property, long row) =>
        PointCloudFormatException.ThrowAtOffset(
            source,
            offset,
            $"element '{element.Name}' is truncated: record {row} of {element.Count} ends inside property '{property.Name}'");
}
