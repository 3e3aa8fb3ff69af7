using System.Runtime.InteropServices;

namespace GeoEdge.Geometry.IO;

/// <summary>Element types a .npy file may hold here: the ones models take and give.</summary>
public enum NpyDType
{
    Bool,
    Int32,
    Int64,
    Float32,
    Float64,

    /// <summary>uint8: masks and labels in datasets (e.g. the sensor recordings' missing-sample mask).</summary>
    UInt8,
}

/// <summary>An n-dimensional C-order array as stored in a NumPy .npy file: dtype, shape and little-endian bytes.</summary>
public sealed class NpyArray
{
    public NpyArray(NpyDType dtype, int[] shape, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long elements = ElementCount(shape);
        if (elements * ElementSize(dtype) != data.Length)
        {
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) of {dtype} needs {elements * ElementSize(dtype)} bytes, got {data.Length}", nameof(data));
        }

        DType = dtype;
        Shape = shape;
        Data = data;
    }

    public NpyDType DType { get; }

    public int[] Shape { get; }

    /// <summary>Raw C-order little-endian element bytes; owned by this array.</summary>
    public byte[] Data { get; }

    public long Length => Data.Length / ElementSize(DType);

    public static NpyArray FromInt64(ReadOnlySpan<long> values, params int[] shape) => new(NpyDType.Int64, shape, MemoryMarshal.AsBytes(values).ToArray());

    public static NpyArray FromFloat32(ReadOnlySpan<float> values, params int[] shape) => new(NpyDType.Float32, shape, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>A typed view over <see cref="Data"/>; <typeparamref name="T"/> must match <see cref="DType"/>.</summary>
    public Span<T> AsSpan<T>()
        where T : unmanaged
    {
        if (Marshal.SizeOf<T>() != ElementSize(DType))
        {
            throw new InvalidOperationException($"array is {DType}, not {typeof(T).Name}");
        }

        return MemoryMarshal.Cast<byte, T>(Data.AsSpan());
    }

    public static int ElementSize(NpyDType dtype) => dtype switch
    {
        NpyDType.Bool or NpyDType.UInt8 => 1,
        NpyDType.Int32 or NpyDType.Float32 => 4,
        NpyDType.Int64 or NpyDType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    internal static long ElementCount(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (int dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"negative dimension {dim}", nameof(shape));
            }

            count = checked(count * dim);
        }

        return count;
    }
}
