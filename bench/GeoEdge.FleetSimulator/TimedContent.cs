using System.Diagnostics;
using System.Net;

namespace GeoEdge.FleetSimulator;

/// <summary>A response body that logs a <see cref="TransferSample"/> when it is read to its end (what the agent's
/// BundleDownload does); headers are kept, so ranges and ETags reach the agent unchanged.</summary>
internal sealed class TimedContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly RequestLog _log;
    private readonly double _start;
    private readonly long _began;

    public TimedContent(HttpContent inner, RequestLog log, double start, long began)
    {
        _inner = inner;
        _log = log;
        _start = start;
        _began = began;
        foreach (KeyValuePair<string, IEnumerable<string>> header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override async Task<Stream> CreateContentReadStreamAsync() =>
        new CountingStream(await _inner.ReadAsStreamAsync().ConfigureAwait(false), this);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new CountingStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), this);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _inner.CopyToAsync(stream, context);

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? -1;
        return length >= 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Finished(long bytes) => _log.Add(new TransferSample(bytes, _start, Stopwatch.GetElapsedTime(_began).TotalSeconds));

    /// <summary>Counts bytes and reports once, at the first read that returns 0 (end of body).</summary>
    private sealed class CountingStream(Stream inner, TimedContent owner) : Stream
    {
        private long _bytes;
        private bool _reported;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _bytes; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int read)
        {
            _bytes += read;
            if (read == 0 && !_reported && _bytes > 0)
            {
                _reported = true;
                owner.Finished(_bytes);
            }

            return read;
        }
    }
}
