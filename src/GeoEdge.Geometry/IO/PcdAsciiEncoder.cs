namespace GeoEdge.Geometry.IO;

/// <summary>Writes DATA ascii: one line per point, values separated by one space, as PCL's writeASCII lays them out.</summary>
internal static class PcdAsciiEncoder
{
    private const int BufferBytes = 1 << 16;

    /// <summary>Room for the longest value (a negative double in exponent form is 24 bytes) plus its separator.</summary>
    private const int MaxValueBytes = 40;

    public static void Write(Stream stream, PointCloud cloud)
    {
        IReadOnlyList<AttributeChannel> attributes = cloud.Attributes;
        var types = new ScalarType[attributes.Count];
        for (int a = 0; a < types.Length; a++)
        {
            // rgb goes out as the uint32 of its bits: the header says TYPE U for it.
            types[a] = PcdWriter.IsAsciiRgb(attributes[a]) ? ScalarType.UInt32 : attributes[a].Type;
        }

        byte[] buffer = new byte[BufferBytes];
        int used = 0;
        float[] positions = cloud.Positions;
        Span<byte> element = stackalloc byte[8];
        for (int i = 0; i < cloud.Count; i++)
        {
            for (int axis = 0; axis < 3; axis++)
            {
                Flush(stream, buffer, ref used);
                System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(element, positions[(i * 3) + axis]);
                used += PcdNumbers.Format(element, ScalarType.Float32, buffer.AsSpan(used));
                buffer[used++] = axis < 2 || attributes.Count > 0 ? (byte)' ' : (byte)'\n';
            }

            for (int a = 0; a < attributes.Count; a++)
            {
                AttributeChannel channel = attributes[a];
                int size = ScalarTypes.SizeOf(channel.Type);
                ReadOnlySpan<byte> values = channel.Bytes.Slice(i * channel.Count * size, channel.Count * size);
                for (int c = 0; c < channel.Count; c++)
                {
                    Flush(stream, buffer, ref used);
                    used += PcdNumbers.Format(values.Slice(c * size, size), types[a], buffer.AsSpan(used));
                    bool last = a == attributes.Count - 1 && c == channel.Count - 1;
                    buffer[used++] = last ? (byte)'\n' : (byte)' ';
                }
            }
        }

        stream.Write(buffer, 0, used);
    }

    private static void Flush(Stream stream, byte[] buffer, ref int used)
    {
        if (buffer.Length - used < MaxValueBytes)
        {
            stream.Write(buffer, 0, used);
            used = 0;
        }
    }
}
