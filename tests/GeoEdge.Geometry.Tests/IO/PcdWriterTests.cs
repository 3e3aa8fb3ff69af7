using System.Buffers.Binary;
using System.Text;
using GeoEdge.Geometry.IO;

namespace GeoEdge.Geometry.Tests.IO;

[Trait("Category", "Unit")]
public sealed class PcdWriterTests
{
    private static PointCloud SmallCloud()
    {
        var intensity = new AttributeChannel("intensity", ScalarType.Float32, 1, 2);
        intensity.AsSpan<float>()[0] = 0.1f;
        intensity.AsSpan<float>()[1] = float.NaN;
        var label = new AttributeChannel("label", ScalarType.Int16, 2, 2);
        label.AsSpan<short>()[0] = -7;
        label.AsSpan<short>()[3] = short.MaxValue;
        var rgb = new AttributeChannel("rgb", ScalarType.Float32, 1, 2);
        rgb.AsSpan<uint>()[0] = 0xff102030;
        rgb.AsSpan<uint>()[1] = 0xffff0000;
        return new PointCloud([1, 2.5f, -0f, 1e-5f, float.PositiveInfinity, float.NegativeInfinity], 2, 1, [intensity, label, rgb], viewpoint: new Viewpoint(0.5, 0, -1, 1, 0, 0, 0));
    }

    [Fact]
    public void Header_is_laid_out_like_pcl_1_13_writes_it()
    {
        var stream = new MemoryStream();

        PcdWriter.Write(stream, SmallCloud(), PointCloudEncoding.Binary);

        string text = Encoding.ASCII.GetString(stream.ToArray());
        Assert.StartsWith(
            "# .PCD v0.7 - Point Cloud Data file format\nVERSION 0.7\nFIELDS x y z intensity label rgb\nSIZE 4 4 4 4 2 4\n"
            + "TYPE F F F F I F\nCOUNT 1 1 1 1 2 1\nWIDTH 2\nHEIGHT 1\nVIEWPOINT 0.5 0 -1 1 0 0 0\nPOINTS 2\nDATA binary\n",
            text,
            StringComparison.Ordinal);
        Assert.Equal(text.IndexOf("DATA binary\n", StringComparison.Ordinal) + 12 + (2 * 24), stream.Length);
    }

    [Fact]
    public void Ascii_uses_shortest_round_trip_digits_c_words_and_rgb_as_uint()
    {
        var stream = new MemoryStream();

        PcdWriter.Write(stream, SmallCloud(), PointCloudEncoding.Ascii);

        string text = Encoding.ASCII.GetString(stream.ToArray());
        string[] lines = text.Split('\n');
        Assert.Equal("TYPE F F F F I U", lines[4]);
        Assert.Equal("DATA ascii", lines[10]);
        Assert.Equal("1 2.5 -0 0.1 -7 0 4279246896", lines[11]);
        Assert.Equal("1E-05 inf -inf nan 0 32767 4294901760", lines[12]);
        Assert.Equal("", lines[13]);
        Assert.Equal(14, lines.Length);
    }

    [Fact]
    public void Binary_compressed_holds_lzf_of_the_field_planes()
    {
        PointCloud cloud = SmallCloud();
        var stream = new MemoryStream();

        PcdWriter.Write(stream, cloud, PointCloudEncoding.BinaryCompressed);

        byte[] file = stream.ToArray();
        int data = Encoding.ASCII.GetString(file).IndexOf("DATA binary_compressed\n", StringComparison.Ordinal) + 23;
        uint compressed = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(data));
        uint uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(data + 4));
        Assert.Equal(file.Length, data + 8 + (int)compressed);
        byte[] planes = new byte[uncompressed];
        Assert.Equal(48, Lzf.Decompress(file.AsSpan(data + 8), planes, "test", 0));
        float[] x = [1, 1e-5f], y = [2.5f, float.PositiveInfinity], z = [-0f, float.NegativeInfinity];
        byte[] expected = [
            .. Bytes(x), .. Bytes(y), .. Bytes(z), .. cloud.Attributes[0].Bytes, .. cloud.Attributes[1].Bytes, .. cloud.Attributes[2].Bytes];
        Assert.Equal(expected, planes);
    }

    [Fact]
    public void Path_overload_replaces_an_existing_file_atomically()
    {
        string dir = Directory.CreateTempSubdirectory("pcd-writer-").FullName;
        try
        {
            string path = Path.Combine(dir, "out.pcd");
            File.WriteAllText(path, "old content");

            PcdWriter.Write(path, SmallCloud(), PointCloudEncoding.BinaryCompressed);

            Assert.Equal(["out.pcd"], Directory.GetFiles(dir).Select(Path.GetFileName));
            Assert.Equal(6, PcdReader.Read(path).Cloud.Positions.Length);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(PointCloudEncoding.BinaryLittleEndian)]
    [InlineData(PointCloudEncoding.BinaryBigEndian)]
    [InlineData((PointCloudEncoding)42)]
    public void Encodings_pcd_does_not_have_are_refused(PointCloudEncoding encoding)
    {
        Assert.Throws<ArgumentException>(() => PcdWriter.Write(new MemoryStream(), SmallCloud(), encoding));
        Assert.Throws<ArgumentException>(() => PcdWriter.Write(Path.Combine(Path.GetTempPath(), "never-written.pcd"), SmallCloud(), encoding));
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "never-written.pcd")));
    }

    [Theory]
    [InlineData("_")]
    [InlineData("two words")]
    [InlineData("tab\tbed")]
    [InlineData("café")]
    public void Attribute_names_a_header_cannot_carry_are_refused(string name)
    {
        var cloud = new PointCloud([0, 0, 0], 1, 1, [new AttributeChannel(name, ScalarType.UInt8, 1, 1)]);

        Assert.Throws<ArgumentException>(() => PcdWriter.Write(new MemoryStream(), cloud, PointCloudEncoding.Binary));
    }

    [Fact]
    public void Non_finite_viewpoint_is_refused()
    {
        var cloud = new PointCloud([0, 0, 0], 1, 1, viewpoint: new Viewpoint(double.NaN, 0, 0, 1, 0, 0, 0));

        Assert.Throws<ArgumentException>(() => PcdWriter.Write(new MemoryStream(), cloud, PointCloudEncoding.Ascii));
    }

    private static byte[] Bytes(float[] values)
    {
        byte[] bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }
}
