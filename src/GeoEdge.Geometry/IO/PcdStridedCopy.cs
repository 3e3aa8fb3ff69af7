using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GeoEdge.Geometry.IO;

/// <summary>Moves fixed-size elements between interleaved PCD records, field planes, channels and the [N,3] positions buffer.</summary>
/// <remarks>
/// Bounds are checked once per call, then the loops run on refs without per-element checks; elements of
/// 1, 2, 4, 8 and 12 bytes (a contiguous x y z) get their own loops so the copy is a single load and store.
/// </remarks>
internal static class PcdStridedCopy
{
    /// <summary>Copies <paramref name="count"/> elements of <paramref name="size"/> bytes from <c>src[srcOffset + i*srcStride]</c> to <c>dst[dstOffset + i*dstStride]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Copy(
        ReadOnlySpan<byte> src, int srcOffset, int srcStride, Span<byte> dst, int dstOffset, int dstStride, int size, int count)
    {
        if (count == 0)
        {
            return;
        }

        CheckRange(src.Length, srcOffset, srcStride, size, count, nameof(src));
        CheckRange(dst.Length, dstOffset, dstStride, size, count, nameof(dst));
        ref byte s = ref Unsafe.Add(ref MemoryMarshal.GetReference(src), srcOffset);
        ref byte d = ref Unsafe.Add(ref MemoryMarshal.GetReference(dst), dstOffset);
        nint ss = srcStride, ds = dstStride;
        switch (size)
        {
            case 1: Loop<byte>(ref s, ss, ref d, ds, count); break;
            case 2: Loop<ushort>(ref s, ss, ref d, ds, count); break;
            case 4: Loop<uint>(ref s, ss, ref d, ds, count); break;
            case 8: Loop<ulong>(ref s, ss, ref d, ds, count); break;
            case 12: Loop<Bytes12>(ref s, ss, ref d, ds, count); break;
            default:
                for (nint i = 0; i < count; i++)
                {
                    Unsafe.CopyBlockUnaligned(ref Unsafe.Add(ref d, i * ds), ref Unsafe.Add(ref s, i * ss), (uint)size);
                }

                break;
        }
    }

    /// <summary>Converts one axis stored as <typeparamref name="T"/> at <c>src[srcOffset + i*srcStride]</c> into <c>positions[3i + axis]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToPositions<T>(ReadOnlySpan<byte> src, int srcOffset, int srcStride, float[] positions, int axis, int count)
        where T : unmanaged, INumberBase<T>
    {
        if (count == 0)
        {
            return;
        }

        CheckRange(src.Length, srcOffset, srcStride, Unsafe.SizeOf<T>(), count, nameof(src));
        CheckRange(positions.Length, axis, 3, 1, count, nameof(positions));
        ref byte s = ref Unsafe.Add(ref MemoryMarshal.GetReference(src), srcOffset);
        ref float d = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(positions), axis);
        for (nint i = 0; i < count; i++)
        {
            Unsafe.Add(ref d, i * 3) = float.CreateTruncating(Unsafe.ReadUnaligned<T>(ref Unsafe.Add(ref s, i * srcStride)));
        }
    }

    /// <summary>Fills [N,3] positions from three float planes in one pass, so each output line is written once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InterleaveXyz(ReadOnlySpan<byte> planes, int xOffset, int yOffset, int zOffset, float[] positions)
    {
        int count = positions.Length / 3;
        if (count == 0)
        {
            return;
        }

        CheckRange(planes.Length, xOffset, 4, 4, count, nameof(xOffset));
        CheckRange(planes.Length, yOffset, 4, 4, count, nameof(yOffset));
        CheckRange(planes.Length, zOffset, 4, 4, count, nameof(zOffset));
        ref byte b = ref MemoryMarshal.GetReference(planes);
        ref float x = ref Unsafe.As<byte, float>(ref Unsafe.Add(ref b, xOffset));
        ref float y = ref Unsafe.As<byte, float>(ref Unsafe.Add(ref b, yOffset));
        ref float z = ref Unsafe.As<byte, float>(ref Unsafe.Add(ref b, zOffset));
        ref float d = ref MemoryMarshal.GetArrayDataReference(positions);
        for (nint i = 0; i < count; i++)
        {
            Unsafe.Add(ref d, i * 3) = Unsafe.ReadUnaligned<float>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref x, i)));
            Unsafe.Add(ref d, (i * 3) + 1) = Unsafe.ReadUnaligned<float>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref y, i)));
            Unsafe.Add(ref d, (i * 3) + 2) = Unsafe.ReadUnaligned<float>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref z, i)));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Loop<T>(ref byte s, nint srcStride, ref byte d, nint dstStride, int count)
        where T : unmanaged
    {
        for (nint i = 0; i < count; i++)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref d, i * dstStride), Unsafe.ReadUnaligned<T>(ref Unsafe.Add(ref s, i * srcStride)));
        }
    }

    private static void CheckRange(int length, int offset, int stride, int size, int count, string name)
    {
        if (offset < 0 || stride < 0 || size < 0 || offset + ((long)(count - 1) * stride) + size > length)
        {
            throw new ArgumentOutOfRangeException(name, $"{count} elements of {size} bytes at {offset} + i*{stride} do not fit in {length}");
        }
    }

    /// <summary>An x y z float triple moved as one value.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 12)]
    private struct Bytes12
    {
        private ulong _low;
        private uint _high;
    }
}
