namespace GeoEdge.Geometry.IO;

/// <summary>PLY type names (both the classic and the sized spellings) and their <see cref="ScalarType"/>.</summary>
internal static class PlyTypes
{
    public static bool TryParse(string name, out ScalarType type)
    {
        switch (name)
        {
            case "char" or "int8": type = ScalarType.Int8; return true;
            case "uchar" or "uint8": type = ScalarType.UInt8; return true;
            case "short" or "int16": type = ScalarType.Int16; return true;
            case "ushort" or "uint16": type = ScalarType.UInt16; return true;
            case "int" or "int32": type = ScalarType.Int32; return true;
            case "uint" or "uint32": type = ScalarType.UInt32; return true;
            case "float" or "float32": type = ScalarType.Float32; return true;
            case "double" or "float64": type = ScalarType.Float64; return true;
            default: type = default; return false;
        }
    }

    /// <summary>The classic name the writer uses; false for the 64-bit integers PLY cannot declare.</summary>
    public static bool TryGetName(ScalarType type, out string name)
    {
        name = Name(type);
        return name.Length > 0;
    }

    /// <summary>The classic PLY name, or an empty string for the 64-bit integers.</summary>
    public static string Name(ScalarType type) => type switch
        {
            ScalarType.Int8 => "char",
            ScalarType.UInt8 => "uchar",
            ScalarType.Int16 => "short",
            ScalarType.UInt16 => "ushort",
            ScalarType.Int32 => "int",
            ScalarType.UInt32 => "uint",
            ScalarType.Float32 => "float",
            ScalarType.Float64 => "double",
            _ => string.Empty,
        };
}
