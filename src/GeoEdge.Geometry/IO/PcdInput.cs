using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace GeoEdge.Geometry.IO;

/// <summary>Reads a PCD stream in the two steps the format needs: a bounded text header, then data sections checked against what is really there.</summary>
/// <remarks>
/// No buffer is ever sized from a header value alone: on a seekable stream a request is compared with the
/// bytes left before anything is allocated; on a non-seekable one the buffer grows only as bytes arrive,
/// so a lying header costs at most twice the bytes the stream actually holds. Data buffers are rented
/// from the shared pool: a service reading scan after scan reuses them instead of faulting in fresh pages.
/// </remarks>
internal sealed class PcdInput
{
    private const int GrowthChunk = 1 << 20;

    private readonly Stream _stream;
    private readonly string _file;
    private readonly long _length;
    private byte[] _pending = [];
    private int _pendingStart;
    private int _pendingEnd;

    public PcdInput(Stream stream, string file)
    {
        _stream = stream;
        _file = file;
        _length = stream.CanSeek ? stream.Length - stream.Position : -1;
    }

    /// <summary>Bytes consumed so far, counted from where reading started.</summary>
    public long Position { get; private set; }

    /// <summary>Bytes left in the stream, when it can tell.</summary>
    public long? Remaining => _length < 0 ? null : _length - Position;

    /// <summary>Reads up to and including the DATA line; the bytes read past it stay pending for the data section.</summary>
    public byte[] ReadHeader(out int headerLength)
    {
        byte[] buffer = new byte[_length is >= 0 and < 4096 ? Math.Max(1, (int)_length) : 4096];
        int filled = 0;
        bool atEnd = false;
        while (true)
        {
            int end = PcdHeaderParser.FindEnd(buffer.AsSpan(0, filled), atEnd, _file);
            if (end >= 0)
            {
                headerLength = end;
                _pending = buffer;
                _pendingStart = end;
                _pendingEnd = filled;
                Position = end;
                return buffer;
            }

            if (atEnd)
            {
                PointCloudFormatException.ThrowAtOffset(_file, filled, filled == 0 ? "empty file" : "the header ends without a DATA line");
            }

            if (filled == PcdHeaderParser.MaxHeaderBytes)
            {
                PointCloudFormatException.ThrowAtOffset(_file, filled, $"no DATA line in the first {PcdHeaderParser.MaxHeaderBytes} bytes: not a PCD header");
            }

            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, PcdHeaderParser.MaxHeaderBytes));
            }

            int read = _stream.Read(buffer, filled, buffer.Length - filled);
            atEnd = read == 0;
            filled += read;
        }
    }

    /// <summary>Reads exactly <paramref name="destination"/>.Length bytes or throws, naming <paramref name="what"/>.</summary>
    public void ReadExactly(Span<byte> destination, string what)
    {
        long start = Position;
        if (Remaining is long remaining && remaining < destination.Length)
        {
            ThrowShort(start, what, destination.Length, remaining);
        }

        int filled = 0;
        while (filled < destination.Length)
        {
            int read = ReadSome(destination[filled..]);
            if (read == 0)
            {
                ThrowShort(start, what, destination.Length, filled);
            }

            filled += read;
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes or throws, naming <paramref name="what"/>.</summary>
    /// <returns>A buffer from <see cref="ArrayPool{T}.Shared"/>, at least <paramref name="count"/> long; give it back with <see cref="Return"/>.</returns>
    public byte[] RentExactly(long count, string what)
    {
        if (count > Array.MaxLength)
        {
            PointCloudFormatException.ThrowAtOffset(_file, Position, $"{what} of {count} bytes is larger than one buffer can hold");
        }

        long start = Position;
        if (Remaining is long remaining)
        {
            if (remaining < count)
            {
                ThrowShort(start, what, count, remaining);
            }

            byte[] exact = ArrayPool<byte>.Shared.Rent((int)count);
            ReadExactly(exact.AsSpan(0, (int)count), what);
            return exact;
        }

        byte[] buffer = RentGrowing((int)count, what, out int filled);
        if (filled < count)
        {
            ThrowShort(start, what, count, filled);
        }

        return buffer;
    }

    /// <summary>Reads everything left into a pooled buffer (see <see cref="RentExactly"/>); <paramref name="length"/> says how much of it is data.</summary>
    public byte[] RentToEnd(string what, out int length)
    {
        if (Remaining is long remaining)
        {
            length = (int)Math.Min(remaining, Array.MaxLength);
            return RentExactly(remaining, what);
        }

        return RentGrowing(Array.MaxLength, what, out length);
    }

    /// <summary>Gives back a buffer from <see cref="RentExactly"/> or <see cref="RentToEnd"/>; data read from files may go back to the pool.</summary>
    public static void Return(byte[] buffer) => ArrayPool<byte>.Shared.Return(buffer);

    /// <summary>Reads up to <paramref name="limit"/> bytes, growing the buffer only as bytes arrive.</summary>
    private byte[] RentGrowing(int limit, string what, out int filled)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit, GrowthChunk));
        filled = 0;
        while (filled < limit)
        {
            if (filled == buffer.Length)
            {
                byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit, (long)buffer.Length * 2));
                buffer.AsSpan(0, filled).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }

            int read = ReadSome(buffer.AsSpan(filled, Math.Min(buffer.Length, limit) - filled));
            if (read == 0)
            {
                return buffer;
            }

            filled += read;
        }

        if (limit == Array.MaxLength && ReadSome(stackalloc byte[1]) > 0)
        {
            PointCloudFormatException.ThrowAtOffset(_file, Position, $"{what} is larger than one buffer can hold");
        }

        return buffer;
    }

    private int ReadSome(Span<byte> destination)
    {
        int read;
        if (_pendingStart < _pendingEnd)
        {
            read = Math.Min(destination.Length, _pendingEnd - _pendingStart);
            _pending.AsSpan(_pendingStart, read).CopyTo(destination);
            _pendingStart += read;
        }
        else
        {
            read = _stream.Read(destination);
        }

        Position += read;
        return read;
    }

    [DoesNotReturn]
    private void ThrowShort(long start, string what, long needed, long available) =>
        PointCloudFormatException.ThrowAtOffset(_file, start + available, $"truncated: {what} needs {needed} bytes, the file has {available}");
}
