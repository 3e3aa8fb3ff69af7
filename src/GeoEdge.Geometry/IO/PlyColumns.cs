using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GeoEdge.Geometry.IO;

/// <summary>Strided copies of one property out of fixed-size binary PLY records.</summary>
/// <remarks>
/// The caller has checked that <c>rows</c> holds every record whole, so the loops read through refs
/// without per-element bounds checks. .NET runs little-endian only: channel bytes and the float
/// positions are little-endian, and only big-endian files are swapped.
/// </remarks>
internal static class PlyColumns
{
    /// <summary>Copies float x, y, z stored next to each other at <paramref name="offset"/> of each record.</summary>
    public static void CopyXyz(ReadOnlySpan<byte> rows, int stride, int offset, Span<float> positions)
    {
        Span<byte> dst = MemoryMarshal.AsBytes(positions);
        if (stride == 12)
        {
            rows.CopyTo(dst);
            return;
        }

        ref byte s = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), offset);
        ref byte d = ref MemoryMarshal.GetReference(dst);
        int n = positions.Length / 3;
        for (int i = 0; i < n; i++)
        {
            ref byte from = ref Unsafe.Add(ref s, (nint)i * stride);
            ref byte to = ref Unsafe.Add(ref d, (nint)i * 12);
            Unsafe.WriteUnaligned(ref to, Unsafe.ReadUnaligned<ulong>(ref from));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, 8), Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref from, 8)));
        }
    }

    /// <summary>Converts one position component, of any type, to float.</summary>
    public static void ToFloat(ReadOnlySpan<byte> rows, int stride, int offset, ScalarType type, bool bigEndian, Span<float> positions, int axis)
    {
        int n = positions.Length / 3;
        if (type == ScalarType.Float64 && !bigEndian)
        {
            // Open3D's layout (double x, y, z): a loop without per-value dispatch.
            ref byte s = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), offset);
            for (int i = 0; i < n; i++)
            {
                positions[(i * 3) + axis] = (float)Unsafe.ReadUnaligned<double>(ref Unsafe.Add(ref s, (nint)i * stride));
            }

            return;
        }

        int size = ScalarTypes.SizeOf(type);
        for (int i = 0; i < n; i++)
        {
            positions[(i * 3) + axis] = PlyScalar.ReadFloat(rows.Slice((i * stride) + offset, size), type, bigEndian);
        }
    }

    /// <summary>Copies one <paramref name="size"/>-byte property of every record into <paramref name="dst"/>, packed.</summary>
    public static void Copy(ReadOnlySpan<byte> rows, int stride, int offset, int size, Span<byte> dst, bool swap)
    {
        int n = dst.Length / size;
        ref byte s = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), offset);
        ref byte d = ref MemoryMarshal.GetReference(dst);
        switch (size)
        {
            case 1:
                for (int i = 0; i < n; i++)
                {
                    Unsafe.Add(ref d, i) = Unsafe.Add(ref s, (nint)i * stride);
                }

                break;
            case 2:
                for (int i = 0; i < n; i++)
                {
                    ushort v = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref s, (nint)i * stride));
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref d, (nint)i * 2), swap ? BinaryPrimitives.ReverseEndianness(v) : v);
                }

                break;
            case 4:
                for (int i = 0; i < n; i++)
                {
                    uint v = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref s, (nint)i * stride));
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref d, (nint)i * 4), swap ? BinaryPrimitives.ReverseEndianness(v) : v);
                }

                break;
            default:
                for (int i = 0; i < n; i++)
                {
                    ulong v = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref s, (nint)i * stride));
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref d, (nint)i * 8), swap ? BinaryPrimitives.ReverseEndianness(v) : v);
                }

                break;
        }
    }
}
