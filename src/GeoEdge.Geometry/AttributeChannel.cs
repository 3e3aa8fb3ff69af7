using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace GeoEdge.Geometry;

/// <summary>One named per-point attribute (intensity, rgb, normal_x, label, ...) stored with its own type.</summary>
/// <remarks>
/// Values live in one byte buffer, point-major (<c>Count</c> elements per point, native little-endian),
/// so readers fill it with a block copy and typed views come from <see cref="AsSpan{T}"/> without copying.
/// </remarks>
public sealed class AttributeChannel
{
    private readonly byte[] _data;

    public AttributeChannel(string name, ScalarType type, int count, int points)
        : this(name, type, count, points, null)
    {
    }

    /// <summary>Wraps <paramref name="data"/> (taken, not copied): <c>points * count * sizeof(type)</c> bytes.</summary>
    public AttributeChannel(string name, ScalarType type, int count, int points, byte[]? data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(points);
        long bytes = (long)points * count * ScalarTypes.SizeOf(type);
        if (bytes > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(points), $"attribute '{name}' would need {bytes} bytes");
        }

        if (data is not null && data.Length != bytes)
        {
            throw new ArgumentException($"attribute '{name}' needs {bytes} bytes, got {data.Length}", nameof(data));
        }

        Field = new PointField(name, type, count);
        PointCount = points;
        _data = data ?? new byte[bytes];
    }

    public PointField Field { get; }

    public string Name => Field.Name;

    public ScalarType Type => Field.Type;

    /// <summary>Elements per point.</summary>
    public int Count => Field.Count;

    public int PointCount { get; }

    /// <summary>The raw bytes, point-major, little-endian. Lives as long as this channel.</summary>
    public Span<byte> Bytes => _data;

    /// <summary>A typed view; <typeparamref name="T"/> must have the size of <see cref="Type"/>.</summary>
    public Span<T> AsSpan<T>()
        where T : unmanaged
    {
        if (Marshal.SizeOf<T>() != ScalarTypes.SizeOf(Type))
        {
            throw new InvalidOperationException($"attribute '{Name}' is {Type}, not {typeof(T).Name}");
        }

        return MemoryMarshal.Cast<byte, T>(_data.AsSpan());
    }

    /// <summary>Reads one element as a double, whatever the stored type.</summary>
    public double GetDouble(int point, int component = 0)
    {
        int size = ScalarTypes.SizeOf(Type);
        ReadOnlySpan<byte> b = _data.AsSpan(((point * Count) + component) * size, size);
        return Type switch
        {
            ScalarType.Int8 => (sbyte)b[0],
            ScalarType.UInt8 => b[0],
            ScalarType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(b),
            ScalarType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(b),
            ScalarType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(b),
            ScalarType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(b),
            ScalarType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(b),
            ScalarType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(b),
            ScalarType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(b),
            ScalarType.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(b),
            _ => throw new InvalidOperationException($"unknown scalar type {Type}"),
        };
    }

    /// <summary>Writes one element from a double, converting to the stored type (integers round and saturate).</summary>
    public void SetDouble(int point, int component, double value)
    {
        int size = ScalarTypes.SizeOf(Type);
        Span<byte> b = _data.AsSpan(((point * Count) + component) * size, size);
        switch (Type)
        {
            case ScalarType.Int8: b[0] = (byte)(sbyte)Math.Clamp(Math.Round(value), sbyte.MinValue, sbyte.MaxValue); break;
            case ScalarType.UInt8: b[0] = (byte)Math.Clamp(Math.Round(value), byte.MinValue, byte.MaxValue); break;
            case ScalarType.Int16: BinaryPrimitives.WriteInt16LittleEndian(b, (short)Math.Clamp(Math.Round(value), short.MinValue, short.MaxValue)); break;
            case ScalarType.UInt16: BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)Math.Clamp(Math.Round(value), ushort.MinValue, ushort.MaxValue)); break;
            case ScalarType.Int32: BinaryPrimitives.WriteInt32LittleEndian(b, (int)Math.Clamp(Math.Round(value), int.MinValue, int.MaxValue)); break;
            case ScalarType.UInt32: BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)Math.Clamp(Math.Round(value), uint.MinValue, uint.MaxValue)); break;
            case ScalarType.Int64: BinaryPrimitives.WriteInt64LittleEndian(b, (long)Math.Round(value)); break;
            case ScalarType.UInt64: BinaryPrimitives.WriteUInt64LittleEndian(b, (ulong)Math.Max(0, Math.Round(value))); break;
            case ScalarType.Float32: BinaryPrimitives.WriteSingleLittleEndian(b, (float)value); break;
            case ScalarType.Float64: BinaryPrimitives.WriteDoubleLittleEndian(b, value); break;
            default: throw new InvalidOperationException($"unknown scalar type {Type}");
        }
    }

    /// <summary>A new channel holding the rows named by <paramref name="indices"/>, in that order.</summary>
    public AttributeChannel Select(ReadOnlySpan<int> indices)
    {
        int stride = Field.SizeInBytes;
        var result = new AttributeChannel(Name, Type, Count, indices.Length);
        Span<byte> dst = result._data;
        for (int i = 0; i < indices.Length; i++)
        {
            _data.AsSpan(indices[i] * stride, stride).CopyTo(dst.Slice(i * stride, stride));
        }

        return result;
    }

    /// <summary>A deep copy.</summary>
    public AttributeChannel Clone() => new(Name, Type, Count, PointCount, (byte[])_data.Clone());
}
