using System.Buffers.Binary;

namespace GeoEdge.Geometry.Sampling;

/// <summary>Exact reads and writes of integer attribute elements through Int128, whatever the stored width.</summary>
internal static class IntegerElements
{
    public static Int128 Read(AttributeChannel channel, int element)
    {
        ReadOnlySpan<byte> bytes = channel.Bytes;
        return channel.Type switch
        {
            ScalarType.Int8 => (sbyte)bytes[element],
            ScalarType.UInt8 => bytes[element],
            ScalarType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(bytes[(element * 2)..]),
            ScalarType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(bytes[(element * 2)..]),
            ScalarType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(bytes[(element * 4)..]),
            ScalarType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(bytes[(element * 4)..]),
            ScalarType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(bytes[(element * 8)..]),
            ScalarType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(bytes[(element * 8)..]),
            _ => throw new InvalidOperationException($"attribute '{channel.Name}' is {channel.Type}, not an integer type"),
        };
    }

    /// <summary>Writes a value that is known to lie in the stored type's range (a mean or mode of stored values).</summary>
    public static void Write(AttributeChannel channel, int element, Int128 value)
    {
        Span<byte> bytes = channel.Bytes;
        switch (channel.Type)
        {
            case ScalarType.Int8: bytes[element] = (byte)(sbyte)value; break;
            case ScalarType.UInt8: bytes[element] = (byte)value; break;
            case ScalarType.Int16: BinaryPrimitives.WriteInt16LittleEndian(bytes[(element * 2)..], (short)value); break;
            case ScalarType.UInt16: BinaryPrimitives.WriteUInt16LittleEndian(bytes[(element * 2)..], (ushort)value); break;
            case ScalarType.Int32: BinaryPrimitives.WriteInt32LittleEndian(bytes[(element * 4)..], (int)value); break;
            case ScalarType.UInt32: BinaryPrimitives.WriteUInt32LittleEndian(bytes[(element * 4)..], (uint)value); break;
            case ScalarType.Int64: BinaryPrimitives.WriteInt64LittleEndian(bytes[(element * 8)..], (long)value); break;
            case ScalarType.UInt64: BinaryPrimitives.WriteUInt64LittleEndian(bytes[(element * 8)..], (ulong)value); break;
            default: throw new InvalidOperationException($"attribute '{channel.Name}' is {channel.Type}, not an integer type");
        }
    }
}
