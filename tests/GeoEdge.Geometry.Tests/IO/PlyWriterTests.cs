using System.Buffers.Binary;
using System.Text;
using GeoEdge.Geometry.IO;

namespace GeoEdge.Geometry.Tests.IO;

[Trait("Category", "Unit")]
public sealed class PlyWriterTests
{
    private static readonly ScalarType[] PlyTypes =
    [
        ScalarType.Int8, ScalarType.UInt8, ScalarType.Int16, ScalarType.UInt16,
        ScalarType.Int32, ScalarType.UInt32, ScalarType.Float32, ScalarType.Float64,
    ];

    [Theory]
    [InlineData(PointCloudEncoding.Ascii)]
    [InlineData(PointCloudEncoding.BinaryLittleEndian)]
    [InlineData(PointCloudEncoding.BinaryBigEndian)]
    public void Random_clouds_read_back_bit_for_bit(PointCloudEncoding encoding)
    {
        var rng = new Random(20240516 + (int)encoding);
        for (int iteration = 0; iteration < 60; iteration++)
        {
            int count = iteration switch { 0 => 0, 1 => 1, 2 => 2, _ => rng.Next(3, 150) };
            PointCloud cloud = RandomCloud(rng, count);

            PointCloudFile back = PlyAssert.RoundTrip(cloud, encoding);

            PlyAssert.SameCloud(cloud, back.Cloud);
            Assert.Equal(encoding, back.Encoding);
            Assert.Equal("1.0", back.Version);
            Assert.Equal(
                new[] { "x:f4", "y:f4", "z:f4" }.Concat(cloud.Attributes.Select(a => a.Field.ToString())),
                back.Fields.Select(f => f.ToString()));
        }
    }

    [Fact]
    public void Ascii_output_is_the_documented_header_and_shortest_round_trip_text()
    {
        var label = new AttributeChannel("label", ScalarType.UInt8, 1, 2);
        label.Bytes[0] = 7;
        label.Bytes[1] = 255;
        var cloud = new PointCloud([0.1f, -2, float.NaN, 1e-45f, float.MaxValue, float.NegativeInfinity], 2, 1, [label]);
        var stream = new MemoryStream();

        PlyWriter.Write(stream, cloud, PointCloudEncoding.Ascii);

        Assert.Equal(
            "ply\nformat ascii 1.0\ncomment written by GeoEdge\nelement vertex 2\n" +
            "property float x\nproperty float y\nproperty float z\nproperty uchar label\nend_header\n" +
            "0.1 -2 NaN 7\n1E-45 3.4028235E+38 -Infinity 255\n",
            Encoding.ASCII.GetString(stream.ToArray()));
    }

    [Fact]
    public void Big_endian_output_is_the_little_endian_output_with_every_value_byte_swapped()
    {
        var intensity = new AttributeChannel("intensity", ScalarType.UInt16, 1, 1);
        BinaryPrimitives.WriteUInt16LittleEndian(intensity.Bytes, 0x1234);
        var cloud = new PointCloud([1f, -2f, 0.5f], 1, 1, [intensity]);

        byte[] big = Data(cloud, PointCloudEncoding.BinaryBigEndian);
        byte[] little = Data(cloud, PointCloudEncoding.BinaryLittleEndian);

        Assert.Equal(new byte[] { 0x3F, 0x80, 0, 0, 0xC0, 0, 0, 0, 0x3F, 0, 0, 0, 0x12, 0x34 }, big);
        Assert.Equal(new byte[] { 0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0, 0, 0, 0, 0x3F, 0x34, 0x12 }, little);
    }

    [Fact]
    public void Binary_is_written_as_binary_little_endian()
    {
        var cloud = new PointCloud([1f, 2f, 3f]);

        PointCloudFile back = PlyAssert.RoundTrip(cloud, PointCloudEncoding.Binary);

        Assert.Equal(PointCloudEncoding.BinaryLittleEndian, back.Encoding);
        Assert.Equal([1f, 2f, 3f], back.Cloud.Positions);
    }

    [Theory]
    [InlineData(PointCloudEncoding.BinaryCompressed)]
    [InlineData((PointCloudEncoding)99)]
    public void Encodings_PLY_cannot_hold_are_refused(PointCloudEncoding encoding)
    {
        var stream = new MemoryStream();

        Assert.Throws<ArgumentException>(() => PlyWriter.Write(stream, new PointCloud([1f, 2f, 3f]), encoding));
        Assert.Equal(0, stream.Length);
    }

    [Theory]
    [InlineData(ScalarType.Int64)]
    [InlineData(ScalarType.UInt64)]
    public void Sixty_four_bit_integer_channels_are_refused(ScalarType type)
    {
        var cloud = new PointCloud([1f, 2f, 3f], 1, 1, [new AttributeChannel("stamp", type, 1, 1)]);

        Assert.Throws<ArgumentException>(() => PlyWriter.Write(new MemoryStream(), cloud, PointCloudEncoding.Ascii));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("ünï")]
    public void Channel_names_that_cannot_be_a_property_name_are_refused(string name)
    {
        var cloud = new PointCloud([1f, 2f, 3f], 1, 1, [new AttributeChannel(name, ScalarType.Float32, 1, 1)]);

        Assert.Throws<ArgumentException>(() => PlyWriter.Write(new MemoryStream(), cloud, PointCloudEncoding.Ascii));
    }

    [Fact]
    public void A_multi_element_channel_becomes_numbered_scalars()
    {
        var normal = new AttributeChannel("normal", ScalarType.Float32, 3, 2);
        float[] values = [0, 0, 1, 0.6f, 0.8f, 0];
        values.CopyTo(normal.AsSpan<float>());
        var cloud = new PointCloud([0, 0, 0, 1, 1, 1], 2, 1, [normal]);

        PointCloudFile back = PlyAssert.RoundTrip(cloud, PointCloudEncoding.BinaryLittleEndian);

        Assert.Equal(["x", "y", "z", "normal_0", "normal_1", "normal_2"], back.Fields.Select(f => f.Name));
        Assert.Equal([0f, 0.6f], back.Cloud.FindAttribute("normal_0")!.AsSpan<float>().ToArray());
        Assert.Equal([0f, 0.8f], back.Cloud.FindAttribute("normal_1")!.AsSpan<float>().ToArray());
        Assert.Equal([1f, 0f], back.Cloud.FindAttribute("normal_2")!.AsSpan<float>().ToArray());
    }

    [Fact]
    public void Expanded_names_that_collide_with_another_channel_are_refused()
    {
        var pair = new AttributeChannel("a", ScalarType.UInt8, 2, 1);
        var clash = new AttributeChannel("a_1", ScalarType.UInt8, 1, 1);
        var cloud = new PointCloud([1f, 2f, 3f], 1, 1, [pair, clash]);

        Assert.Throws<ArgumentException>(() => PlyWriter.Write(new MemoryStream(), cloud, PointCloudEncoding.Ascii));
    }

    [Theory]
    [InlineData(PointCloudEncoding.Ascii)]
    [InlineData(PointCloudEncoding.BinaryBigEndian)]
    public void An_organized_cloud_keeps_its_grid(PointCloudEncoding encoding)
    {
        float[] xyz = new float[4 * 3 * 3];
        for (int i = 0; i < xyz.Length; i++)
        {
            xyz[i] = i * 0.5f;
        }

        xyz[4] = float.NaN;
        var cloud = new PointCloud(xyz, 4, 3);

        PointCloudFile back = PlyAssert.RoundTrip(cloud, encoding);

        Assert.True(back.Cloud.IsOrganized);
        PlyAssert.SameCloud(cloud, back.Cloud);
    }

    [Fact]
    public void Path_overload_replaces_the_file_whole_and_leaves_no_temp_file()
    {
        string dir = Directory.CreateTempSubdirectory("geoedge-ply-").FullName;
        try
        {
            string path = Path.Combine(dir, "cloud.ply");
            File.WriteAllText(path, "old content");
            var cloud = new PointCloud([1f, 2f, 3f, 4f, 5f, 6f]);

            PlyWriter.Write(path, cloud, PointCloudEncoding.BinaryBigEndian);
            Assert.Throws<ArgumentException>(() => PlyWriter.Write(path, cloud, PointCloudEncoding.BinaryCompressed));

            PointCloudFile back = PlyReader.Read(path);
            Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], back.Cloud.Positions);
            Assert.Equal(PointCloudEncoding.BinaryBigEndian, back.Encoding);
            Assert.Equal(["cloud.ply"], Directory.GetFiles(dir).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Random positions (any bit pattern, NaN made canonical, plus infinities and signed zeros) and 0-4 channels of random PLY types.</summary>
    private static PointCloud RandomCloud(Random rng, int count)
    {
        float[] xyz = new float[count * 3];
        for (int i = 0; i < xyz.Length; i++)
        {
            xyz[i] = rng.Next(8) switch
            {
                0 => float.NaN,
                1 => rng.Next(2) == 0 ? float.PositiveInfinity : float.NegativeInfinity,
                2 => rng.Next(2) == 0 ? 0f : -0f,
                3 => (float)((rng.NextDouble() * 20) - 10),
                _ => RandomFloat(rng),
            };
        }

        var channels = new AttributeChannel[rng.Next(5)];
        for (int c = 0; c < channels.Length; c++)
        {
            ScalarType type = PlyTypes[rng.Next(PlyTypes.Length)];
            var channel = new AttributeChannel($"attr{c}_{type}", type, 1, count);
            rng.NextBytes(channel.Bytes);
            Canonicalize(channel);
            channels[c] = channel;
        }

        return new PointCloud(xyz, count, 1, channels);
    }

    private static float RandomFloat(Random rng)
    {
        float f = BitConverter.Int32BitsToSingle(rng.Next() ^ (rng.Next(2) << 31));
        return float.IsNaN(f) ? float.NaN : f;
    }

    /// <summary>Text has one NaN, so random NaN payloads become the canonical NaN.</summary>
    private static void Canonicalize(AttributeChannel channel)
    {
        if (channel.Type == ScalarType.Float32)
        {
            Span<float> values = channel.AsSpan<float>();
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = float.IsNaN(values[i]) ? float.NaN : values[i];
            }
        }
        else if (channel.Type == ScalarType.Float64)
        {
            Span<double> values = channel.AsSpan<double>();
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = double.IsNaN(values[i]) ? double.NaN : values[i];
            }
        }
    }

    private static byte[] Data(PointCloud cloud, PointCloudEncoding encoding)
    {
        var stream = new MemoryStream();
        PlyWriter.Write(stream, cloud, encoding);
        byte[] all = stream.ToArray();
        int end = Encoding.ASCII.GetString(all).IndexOf("end_header\n", StringComparison.Ordinal) + "end_header\n".Length;
        return all[end..];
    }
}
