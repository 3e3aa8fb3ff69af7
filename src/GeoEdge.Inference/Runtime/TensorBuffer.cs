using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GeoEdge.Inference.Runtime;

/// <summary>A pinned managed array of fixed shape and the OrtValue that views it; both live until <see cref="Dispose"/>.</summary>
/// <remarks>
/// The array is allocated on the pinned object heap so ONNX Runtime reads and writes it in place: a
/// caller fills <see cref="AsSpan{T}"/> and the next run sees it, with no copy and no allocation.
/// A span from <see cref="AsSpan{T}"/> is valid until the buffer is disposed.
/// </remarks>
internal sealed class TensorBuffer : IDisposable
{
    private readonly Array _data;

    private TensorBuffer(string name, TensorElementType elementType, long[] shape, Array data, OrtValue value)
    {
        Name = name;
        ElementType = elementType;
        Shape = shape;
        _data = data;
        Value = value;
    }

    public string Name { get; }

    public TensorElementType ElementType { get; }

    public long[] Shape { get; }

    public OrtValue Value { get; }

    public int Length => _data.Length;

    public static TensorBuffer Create(string name, TensorElementType elementType, long[] shape)
    {
        long count = 1;
        foreach (long d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"tensor '{name}' has an unresolved dimension; give its shape in ModelSessionOptions.InputShapes", nameof(shape));
            }

            count = checked(count * d);
        }

        int n = checked((int)count);
        return elementType switch
        {
            TensorElementType.Float => Wrap<float>(name, elementType, shape, n),
            TensorElementType.Double => Wrap<double>(name, elementType, shape, n),
            TensorElementType.Int64 => Wrap<long>(name, elementType, shape, n),
            TensorElementType.Int32 => Wrap<int>(name, elementType, shape, n),
            TensorElementType.UInt8 => Wrap<byte>(name, elementType, shape, n),
            TensorElementType.Int8 => Wrap<sbyte>(name, elementType, shape, n),
            TensorElementType.Bool => Wrap<bool>(name, elementType, shape, n),
            _ => throw new NotSupportedException($"tensor '{name}' has element type {elementType}, which GeoEdge does not bind"),
        };
    }

    public Span<T> AsSpan<T>()
        where T : unmanaged
    {
        if (_data is T[] typed)
        {
            return typed;
        }

        throw new InvalidOperationException($"tensor '{Name}' holds {ElementType}, not {typeof(T).Name}");
    }

    /// <summary>The elements as raw bytes (C order, native byte order), whatever the element type.</summary>
    public Span<byte> AsBytes() =>
        MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(_data), Buffer.ByteLength(_data));

    public void Dispose() => Value.Dispose();

    private static TensorBuffer Wrap<T>(string name, TensorElementType elementType, long[] shape, int count)
        where T : unmanaged
    {
        T[] data = GC.AllocateArray<T>(count, pinned: true);
        OrtValue value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data.AsMemory(), shape);
        return new TensorBuffer(name, elementType, shape, data, value);
    }
}
