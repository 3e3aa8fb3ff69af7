using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GeoEdge.Geometry.IO;

/// <summary>LZF block compression as liblzf and PCL's lzf.cpp define it (PCD binary_compressed payloads).</summary>
/// <remarks>
/// A block is a sequence of tokens. A control byte below 32 starts a literal run of <c>ctrl + 1</c> bytes;
/// otherwise its top 3 bits are a length (7 means "add the next byte") and the low 5 bits with the next
/// byte an offset back into the output: <c>len + 2</c> bytes are copied from <c>out - offset - 1</c>.
/// </remarks>
internal static class Lzf
{
    private const int MaxLiteral = 1 << 5;
    private const int MaxOffset = 1 << 13;
    private const int MaxReference = (1 << 8) + (1 << 3);
    private const int HashLog = 14;

    /// <summary>The most bytes one compressed byte can expand to (a 3-byte token copying 264 bytes).</summary>
    public const int MaxExpansion = 88;

    /// <summary>An output size <see cref="Compress"/> never exceeds, whatever the input.</summary>
    public static long MaxCompressedLength(long inputLength) => inputLength + (inputLength / MaxLiteral) + 16;

    /// <summary>Compresses <paramref name="input"/> into <paramref name="output"/>; returns the bytes written, or 0 when they do not fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe int Compress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int inLength = input.Length;
        if (inLength == 0)
        {
            return 0;
        }

        // Positions + 1 of the last 3-byte sequence with each hash; 0 means none seen yet.
        int[] table = new int[1 << HashLog];
        fixed (byte* inBase = input)
        fixed (byte* outBase = output)
        fixed (int* hashes = table)
        {
            byte* outEnd = outBase + output.Length;
            byte* op = outBase + 1;
            int ip = 0;
            int lit = 0;
            if (op >= outEnd)
            {
                return 0;
            }

            while (ip < inLength - 2)
            {
                int slot = Hash(inBase + ip);
                int candidate = hashes[slot] - 1;
                hashes[slot] = ip + 1;
                int off = ip - candidate - 1;
                if (candidate >= 0 && off < MaxOffset
                    && inBase[candidate] == inBase[ip]
                    && inBase[candidate + 1] == inBase[ip + 1]
                    && inBase[candidate + 2] == inBase[ip + 2])
                {
                    int maxLength = Math.Min(inLength - ip - 2, MaxReference);
                    if (op - (lit == 0 ? 1 : 0) + 4 >= outEnd)
                    {
                        return 0;
                    }

                    op[-lit - 1] = (byte)(lit - 1);
                    op -= lit == 0 ? 1 : 0;
                    int length = 2;
                    do
                    {
                        length++;
                    }
                    while (length < maxLength && inBase[candidate + length] == inBase[ip + length]);

                    int code = length - 2;
                    if (code < 7)
                    {
                        *op++ = (byte)((off >> 8) + (code << 5));
                    }
                    else
                    {
                        *op++ = (byte)((off >> 8) + (7 << 5));
                        *op++ = (byte)(code - 7);
                    }

                    *op++ = (byte)off;
                    lit = 0;
                    op++;
                    ip += length;
                    if (ip >= inLength - 2)
                    {
                        break;
                    }

                    // Index the two positions inside the match's tail so later repeats find them.
                    hashes[Hash(inBase + ip - 2)] = ip - 1;
                    hashes[Hash(inBase + ip - 1)] = ip;
                }
                else
                {
                    if (op >= outEnd)
                    {
                        return 0;
                    }

                    lit++;
                    *op++ = inBase[ip++];
                    if (lit == MaxLiteral)
                    {
                        op[-lit - 1] = (byte)(lit - 1);
                        lit = 0;
                        op++;
                    }
                }
            }

            if (op + 3 > outEnd)
            {
                return 0;
            }

            while (ip < inLength)
            {
                lit++;
                *op++ = inBase[ip++];
                if (lit == MaxLiteral)
                {
                    op[-lit - 1] = (byte)(lit - 1);
                    lit = 0;
                    op++;
                }
            }

            op[-lit - 1] = (byte)(lit - 1);
            op -= lit == 0 ? 1 : 0;
            return (int)(op - outBase);
        }
    }

    /// <summary>Decompresses one block into <paramref name="output"/>; returns the bytes written.</summary>
    /// <param name="input">The compressed block.</param>
    /// <param name="output">Where the bytes go; the block must not produce more.</param>
    /// <param name="file">File name for errors.</param>
    /// <param name="inputOffset">Byte offset of <paramref name="input"/> in the file, for errors.</param>
    /// <exception cref="PointCloudFormatException">The block is corrupt: it overruns its input or output, or refers before the output's start.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe int Decompress(ReadOnlySpan<byte> input, Span<byte> output, string file, long inputOffset)
    {
        fixed (byte* inBase = input)
        fixed (byte* outBase = output)
        {
            byte* ip = inBase;
            byte* inEnd = inBase + input.Length;
            byte* op = outBase;
            byte* outEnd = outBase + output.Length;
            while (ip < inEnd)
            {
                byte* token = ip;
                nint ctrl = *ip++;
                if (ctrl < MaxLiteral)
                {
                    ctrl++;
                    if (ctrl > outEnd - op)
                    {
                        ThrowCorrupt(file, inputOffset + (token - inBase), "literal run overruns the output");
                    }

                    if (ctrl > inEnd - ip)
                    {
                        ThrowCorrupt(file, inputOffset + (token - inBase), "literal run overruns the input");
                    }

                    if (inEnd - ip >= 32 && outEnd - op >= 32)
                    {
                        // Copy a whole 32-byte run whatever its length; bytes past it are overwritten later.
                        Copy16(ip, op);
                        Copy16(ip + 16, op + 16);
                    }
                    else
                    {
                        Buffer.MemoryCopy(ip, op, outEnd - op, ctrl);
                    }

                    ip += ctrl;
                    op += ctrl;
                    continue;
                }

                nint length = ctrl >> 5;
                if (ip >= inEnd)
                {
                    ThrowCorrupt(file, inputOffset + (token - inBase), "back-reference is cut off");
                }

                if (length == 7)
                {
                    length += *ip++;
                    if (ip >= inEnd)
                    {
                        ThrowCorrupt(file, inputOffset + (token - inBase), "back-reference is cut off");
                    }
                }

                nint distance = ((ctrl & 0x1f) << 8) + *ip++ + 1;
                length += 2;
                if (length > outEnd - op)
                {
                    ThrowCorrupt(file, inputOffset + (token - inBase), "back-reference overruns the output");
                }

                if (distance > op - outBase)
                {
                    ThrowCorrupt(file, inputOffset + (token - inBase), "back-reference points before the start of the output");
                }

                byte* from = op - distance;
                byte* end = op + length;
                if (distance >= 8 && outEnd - end >= 16)
                {
                    // Steps of 8 or 16 never read bytes this copy has yet to write; the last step may
                    // spill past `end`, into output the next tokens overwrite.
                    if (distance >= 16)
                    {
                        do
                        {
                            Copy16(from, op);
                            from += 16;
                            op += 16;
                        }
                        while (op < end);
                    }
                    else
                    {
                        do
                        {
                            Unsafe.WriteUnaligned(op, Unsafe.ReadUnaligned<ulong>(from));
                            from += 8;
                            op += 8;
                        }
                        while (op < end);
                    }
                }
                else
                {
                    // Overlapping copy repeats the last `distance` bytes: byte order matters.
                    while (op < end)
                    {
                        *op++ = *from++;
                    }
                }

                op = end;
            }

            return (int)(op - outBase);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Copy16(byte* from, byte* to) =>
        Unsafe.WriteUnaligned(to, Unsafe.ReadUnaligned<Vector128<byte>>(from));

    private static unsafe int Hash(byte* p)
    {
        uint v = p[0] | ((uint)p[1] << 8) | ((uint)p[2] << 16);
        return (int)((v * 2654435761u) >> (32 - HashLog));
    }

    private static void ThrowCorrupt(string file, long offset, string detail) =>
        PointCloudFormatException.ThrowAtOffset(file, offset, $"corrupt LZF data: {detail}");
}
