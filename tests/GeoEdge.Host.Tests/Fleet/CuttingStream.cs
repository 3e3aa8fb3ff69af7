using Microsoft.AspNetCore.Http;

namespace GeoEdge.Host.Tests.Fleet;

/// <summary>A response body that passes <paramref name="limit"/> bytes through and then aborts the connection: a
/// link cut in the middle of a download.</summary>
internal sealed class CuttingStream(Stream inner, long limit, HttpContext context) : Stream
{
    private long _written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _written; set => throw new NotSupportedException(); }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        long room = limit - _written;
        if (room > 0)
        {
            ReadOnlyMemory<byte> part = buffer[..(int)Math.Min(room, buffer.Length)];
            await inner.WriteAsync(part, cancellationToken);
            await inner.FlushAsync(cancellationToken);
            _written += part.Length;
        }

        if (_written >= limit)
        {
            context.Abort();
            throw new IOException($"cut after {limit} bytes (test fault)");
        }
    }
}
