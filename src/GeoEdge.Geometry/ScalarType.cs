namespace GeoEdge.Geometry;

/// <summary>The element type of a point field, covering every type PCD and PLY can declare.</summary>
public enum ScalarType : byte
{
    Int8,
    UInt8,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Float32,
    Float64,
}

/// <summary>Sizes and names of <see cref="ScalarType"/> values.</summary>
public static class ScalarTypes
{
    public static int SizeOf(ScalarType type) => type switch
    {
        ScalarType.Int8 or ScalarType.UInt8 => 1,
        ScalarType.Int16 or ScalarType.UInt16 => 2,
        ScalarType.Int32 or ScalarType.UInt32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.UInt64 or ScalarType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown scalar type"),
    };

    public static bool IsFloatingPoint(ScalarType type) => type is ScalarType.Float32 or ScalarType.Float64;

    public static bool IsSigned(ScalarType type) =>
        type is ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64 or ScalarType.Float32 or ScalarType.Float64;

    /// <summary>Short lower-case name used by the CLI and JSON output (f4, u1, ...), PCD style.</summary>
    public static string ShortName(ScalarType type) => type switch
    {
        ScalarType.Int8 => "i1",
        ScalarType.UInt8 => "u1",
        ScalarType.Int16 => "i2",
        ScalarType.UInt16 => "u2",
        ScalarType.Int32 => "i4",
        ScalarType.UInt32 => "u4",
        ScalarType.Int64 => "i8",
        ScalarType.UInt64 => "u8",
        ScalarType.Float32 => "f4",
        ScalarType.Float64 => "f8",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown scalar type"),
    };
}
