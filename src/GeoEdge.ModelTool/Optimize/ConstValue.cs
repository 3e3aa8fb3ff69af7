using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Optimize;

/// <summary>A small constant tensor the folder computes with: int64, bool (stored as 0/1 longs) or float32 values in row-major order.</summary>
/// <remarks>Integer and bool values share the long array so shape arithmetic needs one code path; floats keep float32
/// so a folded Mul or Div rounds exactly as ONNX Runtime would.</remarks>
internal sealed class ConstValue
{
    private ConstValue(int type, long[] dims, long[]? longs, float[]? floats)
    {
        Type = type;
        Dims = dims;
        Longs = longs;
        Floats = floats;
    }

    public int Type { get; }

    public long[] Dims { get; }

    public long[]? Longs { get; }

    public float[]? Floats { get; }

    public bool IsFloat => Floats is not null;

    public int Count => Floats?.Length ?? Longs!.Length;

    public static ConstValue OfLongs(int type, long[] dims, long[] values) => new(type, dims, values, null);

    public static ConstValue OfFloats(long[] dims, float[] values) => new(TensorData.Float, dims, null, values);

    /// <summary>The value of an initializer or Constant tensor, or null for element types the folder does not compute with.</summary>
    public static ConstValue? From(TensorProto t)
    {
        long[] dims = TensorData.Dims(t);
        switch (t.DataType)
        {
            case TensorData.Float:
                return TensorData.Floats(t) is { } f ? OfFloats(dims, f) : null;
            case TensorData.Int64:
                return TensorData.Int64s(t) is { } l ? OfLongs(TensorData.Int64, dims, l) : null;
            case TensorData.Int32:
                long[] i = t.RawData.Length > 0
                    ? Array.ConvertAll(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(t.RawData.Span).ToArray(), static v => (long)v)
                    : Array.ConvertAll(t.Int32Data.ToArray(), static v => (long)v);
                return OfLongs(TensorData.Int32, dims, i);
            case TensorData.Bool:
                long[] b = t.RawData.Length > 0
                    ? Array.ConvertAll(t.RawData.ToByteArray(), static v => (long)(v != 0 ? 1 : 0))
                    : Array.ConvertAll(t.Int32Data.ToArray(), static v => (long)(v != 0 ? 1 : 0));
                return OfLongs(TensorData.Bool, dims, b);
            default:
                return null;
        }
    }

    /// <summary>This value as an initializer named <paramref name="name"/>, in its own element type.</summary>
    public TensorProto ToTensor(string name)
    {
        if (Floats is { } f)
        {
            return TensorData.FromFloats(name, f, Dims);
        }

        switch (Type)
        {
            case TensorData.Int64:
                return TensorData.FromInt64s(name, Longs!, Dims);
            case TensorData.Int32:
                var i = new TensorProto { Name = name, DataType = TensorData.Int32 };
                i.Int32Data.AddRange(Array.ConvertAll(Longs!, static v => (int)v));
                i.Dims.AddRange(Dims);
                return i;
            default:
                var b = new TensorProto { Name = name, DataType = TensorData.Bool };
                b.Int32Data.AddRange(Array.ConvertAll(Longs!, static v => v != 0 ? 1 : 0));
                b.Dims.AddRange(Dims);
                return b;
        }
    }

    public static long CountOf(long[] dims)
    {
        long n = 1;
        foreach (long d in dims)
        {
            n *= d;
        }

        return n;
    }
}
