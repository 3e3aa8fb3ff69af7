namespace GeoEdge.ModelTool.Onnx;

/// <summary>Names and sizes of ONNX element types (TensorProto.DataType codes, including those newer than onnx.proto's enum).</summary>
public static class OnnxElementType
{
    /// <summary>NumPy-style name of <paramref name="code"/> (float32, int64, ...), or "type N" for a code this tool does not know.</summary>
    public static string Name(int code) => code switch
    {
        0 => "undefined",
        1 => "float32",
        2 => "uint8",
        3 => "int8",
        4 => "uint16",
        5 => "int16",
        6 => "int32",
        7 => "int64",
        8 => "string",
        9 => "bool",
        10 => "float16",
        11 => "float64",
        12 => "uint32",
        13 => "uint64",
        14 => "complex64",
        15 => "complex128",
        16 => "bfloat16",
        17 => "float8e4m3fn",
        18 => "float8e4m3fnuz",
        19 => "float8e5m2",
        20 => "float8e5m2fnuz",
        21 => "uint4",
        22 => "int4",
        23 => "float4e2m1",
        _ => $"type {code}",
    };

    /// <summary>Bytes per element in raw_data, or 0 where it is not a whole number of bytes (string, 4-bit types) or unknown.</summary>
    public static int ByteSize(int code) => code switch
    {
        2 or 3 or 9 or 17 or 18 or 19 or 20 => 1,
        4 or 5 or 10 or 16 => 2,
        1 or 6 or 12 => 4,
        7 or 11 or 13 or 14 => 8,
        15 => 16,
        _ => 0,
    };
}
