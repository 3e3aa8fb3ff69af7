using GeoEdge.Geometry.IO;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GeoEdge.ModelTool.Running;

/// <summary>Maps ONNX element types to the .npy dtypes the runner reads and writes (bool, uint8, int32, int64, float32, float64).</summary>
internal static class NpyElementTypes
{
    /// <summary>The .npy dtype of an ONNX TensorProto.DataType code, or null when .npy IO here does not cover it.</summary>
    public static NpyDType? FromOnnx(int code) => code switch
    {
        1 => NpyDType.Float32,
        2 => NpyDType.UInt8,
        6 => NpyDType.Int32,
        7 => NpyDType.Int64,
        9 => NpyDType.Bool,
        11 => NpyDType.Float64,
        _ => null,
    };

    public static NpyDType? FromOrt(TensorElementType type) => type switch
    {
        TensorElementType.Float => NpyDType.Float32,
        TensorElementType.UInt8 => NpyDType.UInt8,
        TensorElementType.Int32 => NpyDType.Int32,
        TensorElementType.Int64 => NpyDType.Int64,
        TensorElementType.Bool => NpyDType.Bool,
        TensorElementType.Double => NpyDType.Float64,
        _ => null,
    };

    public static string Name(NpyDType dtype) => dtype switch
    {
        NpyDType.Bool => "bool",
        NpyDType.UInt8 => "uint8",
        NpyDType.Int32 => "int32",
        NpyDType.Int64 => "int64",
        NpyDType.Float32 => "float32",
        _ => "float64",
    };

    public static string ShapeText(int[] shape) => "[" + string.Join(", ", shape) + "]";
}
