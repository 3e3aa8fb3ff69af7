using System.Runtime.InteropServices;
using Google.Protobuf;
using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Optimize;

/// <summary>Reads and makes the float32 and int64 tensors graph rewrites fold (weights, shape constants).</summary>
internal static class TensorData
{
    public const int Float = 1;
    public const int Int32 = 6;
    public const int Int64 = 7;
    public const int Bool = 9;

    /// <summary>The values of a float32 tensor, from raw_data or float_data; null for any other element type.</summary>
    public static float[]? Floats(TensorProto t)
    {
        if (t.DataType != Float)
        {
            return null;
        }

        return t.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray() : [.. t.FloatData];
    }

    /// <summary>The values of an int64 tensor, from raw_data or int64_data; null for any other element type.</summary>
    public static long[]? Int64s(TensorProto t)
    {
        if (t.DataType != Int64)
        {
            return null;
        }

        return t.RawData.Length > 0 ? MemoryMarshal.Cast<byte, long>(t.RawData.Span).ToArray() : [.. t.Int64Data];
    }

    public static long[] Dims(TensorProto t) => [.. t.Dims];

    public static TensorProto FromFloats(string name, float[] values, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        t.Dims.AddRange(dims);
        return t;
    }

    public static TensorProto FromInt64s(string name, long[] values, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = Int64, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        t.Dims.AddRange(dims);
        return t;
    }
}
