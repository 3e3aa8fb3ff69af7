using GeoEdge.Geometry.IO;

namespace GeoEdge.Geometry.Tests.IO;

/// <summary>Bit-exact comparisons of values and clouds, and small stream helpers, for the PLY tests.</summary>
internal static class PlyAssert
{
    /// <summary>Same bits; every NaN equals every NaN since text formats keep no payload.</summary>
    public static void Same(float expected, float actual, string what)
    {
        bool same = float.IsNaN(expected) ? float.IsNaN(actual) : BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual);
        Assert.True(same, $"{what}: expected {expected:R} (0x{BitConverter.SingleToInt32Bits(expected):X8}), got {actual:R} (0x{BitConverter.SingleToInt32Bits(actual):X8})");
    }

    public static void Same(double expected, double actual, string what)
    {
        bool same = double.IsNaN(expected) ? double.IsNaN(actual) : BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual);
        Assert.True(same, $"{what}: expected {expected:R}, got {actual:R}");
    }

    /// <summary>Positions and every channel byte for byte, same names, types, counts and grid.</summary>
    public static void SameCloud(PointCloud expected, PointCloud actual)
    {
        Assert.Equal(expected.Width, actual.Width);
        Assert.Equal(expected.Height, actual.Height);
        Assert.Equal(
            Array.ConvertAll(expected.Positions, BitConverter.SingleToInt32Bits),
            Array.ConvertAll(actual.Positions, BitConverter.SingleToInt32Bits));
        Assert.Equal(expected.Attributes.Count, actual.Attributes.Count);
        for (int i = 0; i < expected.Attributes.Count; i++)
        {
            AttributeChannel e = expected.Attributes[i], a = actual.Attributes[i];
            Assert.Equal(e.Field, a.Field);
            Assert.Equal(e.Bytes.ToArray(), a.Bytes.ToArray());
        }
    }

    public static PointCloudFormatException Throws(byte[] file, string name = "bad.ply")
    {
        var ex = Assert.Throws<PointCloudFormatException>(() => PlyReader.Read(new MemoryStream(file), name));
        Assert.Equal(name, ex.File);
        Assert.StartsWith(name + ": ", ex.Message, StringComparison.Ordinal);
        return ex;
    }

    public static PointCloudFile RoundTrip(PointCloud cloud, PointCloudEncoding encoding)
    {
        var stream = new MemoryStream();
        PlyWriter.Write(stream, cloud, encoding);
        stream.Position = 0;
        return PlyReader.Read(stream, "round-trip.ply");
    }

    public static Stream ForwardOnly(byte[] bytes) => new ForwardOnlyStream(bytes);

    /// <summary>A stream that cannot seek or tell its length, like a pipe or a socket.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        // Short reads on purpose: a reader must loop.
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
