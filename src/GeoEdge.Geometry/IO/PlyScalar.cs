using System.Buffers.Binary;

namespace GeoEdge.Geometry.IO;

/// <summary>Reads single binary PLY values of any declared type.</summary>
internal static class PlyScalar
{
    /// <summary>The value as a float, the way positions are kept (doubles and wide integers round).</summary>
    public static float ReadFloat(ReadOnlySpan<byte> b, ScalarType type, bool bigEndian) => type switch
    {
        ScalarType.Float32 => bigEndian ? BinaryPrimitives.ReadSingleBigEndian(b) : BinaryPrimitives.ReadSingleLittleEndian(b),
        ScalarType.Float64 => (float)(bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(b) : BinaryPrimitives.ReadDoubleLittleEndian(b)),
        _ => ReadInteger(b, type, bigEndian),
    };

    /// <summary>An integer-typed value (list counts, integer positions).</summary>
    public static long ReadInteger(ReadOnlySpan<byte> b, ScalarType type, bool bigEndian) => type switch
    {
        ScalarType.Int8 => (sbyte)b[0],
        ScalarType.UInt8 => b[0],
        ScalarType.Int16 => bigEndian ? BinaryPrimitives.ReadInt16BigEndian(b) : BinaryPrimitives.ReadInt16LittleEndian(b),
        ScalarType.UInt16 => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b),
        ScalarType.Int32 => bigEndian ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b),
        ScalarType.UInt32 => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a PLY integer type"),
    };
}
