using System.Runtime.InteropServices;
using GeoEdge.ModelTool.Onnx;
using Google.Protobuf;

namespace GeoEdge.ModelTool.Quantize;

/// <summary>Makes the int8, uint8 and int32 initializers (quantized weights, scales' zero points, biases) the quantizer adds.</summary>
internal static class QuantTensors
{
    public const int UInt8 = 2;
    public const int Int8 = 3;
    public const int Int32 = 6;

    public static TensorProto FromInt8s(sbyte[] values, params long[] dims) => Make(Int8, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    public static TensorProto FromUInt8s(byte[] values, params long[] dims) => Make(UInt8, values, dims);

    public static TensorProto FromInt32s(int[] values, params long[] dims) => Make(Int32, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    /// <summary>The int8 values of a tensor made by <see cref="FromInt8s"/> (raw_data).</summary>
    public static sbyte[] Int8s(TensorProto t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return MemoryMarshal.Cast<byte, sbyte>(t.RawData.Span).ToArray();
    }

    public static int[] Int32s(TensorProto t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return MemoryMarshal.Cast<byte, int>(t.RawData.Span).ToArray();
    }

    private static TensorProto Make(int type, ReadOnlySpan<byte> bytes, long[] dims)
    {
        var t = new TensorProto { DataType = type, RawData = ByteString.CopyFrom(bytes) };
        t.Dims.AddRange(dims);
        return t;
    }
}
