using System.Text;
using GeoEdge.Geometry.IO;
using GeoEdge.Testing;

namespace GeoEdge.Geometry.Tests.IO;

[Trait("Category", "Unit")]
public sealed class PcdReaderTests
{
    public static TheoryData<string> ValidFixtures() => [.. PcdFixtures.Valid()];

    [Theory]
    [MemberData(nameof(ValidFixtures))]
    public void Reading_a_fixture_from_its_path_gives_exactly_the_recorded_values(string fixture)
    {
        PointCloudFile file = PcdReader.Read(PcdFixtures.PathOf(fixture));

        PcdFixtures.AssertMatchesExpected(fixture, file);
    }

    [Theory]
    [MemberData(nameof(ValidFixtures))]
    public void Reading_a_fixture_from_a_pipe_gives_the_same_values(string fixture)
    {
        PointCloudFile file = PcdReader.Read(new NonSeekableStream(PcdFixtures.Bytes(fixture), maxChunk: 13), fixture);

        PcdFixtures.AssertMatchesExpected(fixture, file);
    }

    [Fact]
    public void Padding_fields_are_reported_but_not_kept()
    {
        PointCloudFile file = PcdReader.Read(PcdFixtures.PathOf("pcl/mixed_binary.pcd"));

        Assert.Contains(new PointField("_", ScalarType.UInt8, 3), file.Fields);
        Assert.Null(file.Cloud.FindAttribute("_"));
        Assert.Equal(11, file.Cloud.Attributes.Count);
        Assert.Equal(new PointField("hist", ScalarType.Float32, 5), file.Cloud.FindAttribute("hist")!.Field);
    }

    [Fact]
    public void Organized_cloud_keeps_its_shape_and_nan_points()
    {
        PointCloudFile file = PcdReader.Read(PcdFixtures.PathOf("pcl/organized_binary_compressed.pcd"));

        Assert.True(file.Cloud.IsOrganized);
        Assert.Equal((8, 6), (file.Cloud.Width, file.Cloud.Height));
        Assert.Equal(36, file.Cloud.CountFinite());
        Assert.Equal(new Viewpoint(0.25, -1.5, 2, 0.5, 0.5, 0.5, 0.5), file.Cloud.Viewpoint);
    }

    [Fact]
    public void Ascii_rgb_written_by_pcl_is_the_uint32_of_the_packed_bits()
    {
        PointCloudFile binary = PcdReader.Read(PcdFixtures.PathOf("pcl/mixed_binary.pcd"));
        PointCloudFile ascii = PcdReader.Read(PcdFixtures.PathOf("pcl/mixed_ascii.pcd"));

        AttributeChannel packed = binary.Cloud.FindAttribute("rgb")!;
        AttributeChannel asUint = ascii.Cloud.FindAttribute("rgb")!;
        Assert.Equal(ScalarType.Float32, packed.Type);
        Assert.Equal(ScalarType.UInt32, asUint.Type);
        Assert.Equal(packed.Bytes.ToArray(), asUint.Bytes.ToArray());
        (byte r, byte g, byte b, byte a) = PackedRgb.UnpackRgba(asUint.AsSpan<uint>()[0]);
        Assert.Equal(PackedRgb.Unpack(packed.AsSpan<float>()[0]), (r, g, b));
        Assert.Equal(255, a);
    }

    [Fact]
    public void Positions_declared_as_doubles_and_integers_become_floats()
    {
        PointCloudFile file = PcdReader.Read(PcdFixtures.PathOf("pcl/typed_handmade_binary.pcd"));

        Assert.Equal(new PointField("x", ScalarType.Float64), file.Fields[0]);
        Assert.Equal(new PointField("y", ScalarType.Int32), file.Fields[1]);
        Assert.Equal(new PointField("z", ScalarType.Int16), file.Fields[2]);
        AttributeChannel i8 = file.Cloud.FindAttribute("i8")!;
        Assert.Equal([long.MinValue, long.MaxValue], i8.AsSpan<long>()[..2].ToArray());
        Assert.Equal(ulong.MaxValue, file.Cloud.FindAttribute("u8")!.AsSpan<ulong>()[0]);
    }

    [Fact]
    public void Version_is_reported_as_written()
    {
        Assert.Equal(".6", PcdReader.Read(PcdFixtures.PathOf("pcl/v06_handmade_ascii.pcd")).Version);
        Assert.Equal(".7", PcdReader.Read(PcdFixtures.PathOf("pcl/v07_short_version_crlf_ascii.pcd")).Version);
        Assert.Equal("0.7", PcdReader.Read(PcdFixtures.PathOf("pcl/mixed_ascii.pcd")).Version);
    }

    [Fact]
    public void Ascii_special_values_parse_like_the_c_library()
    {
        const string text = """
            VERSION 0.7
            FIELDS x y z d
            SIZE 4 4 4 8
            TYPE F F F F
            WIDTH 2
            HEIGHT 1
            POINTS 2
            DATA ascii
            nan -nan NaN -inf
            INF +inf -Infinity 1e-320
            """;

        PointCloudFile file = PcdReader.Read(new MemoryStream(Encoding.ASCII.GetBytes(text)), "specials");

        uint[] bits = [.. file.Cloud.Positions.Select(BitConverter.SingleToUInt32Bits)];
        Assert.Equal([0x7fc00000u, 0xffc00000, 0x7fc00000, 0x7f800000, 0x7f800000, 0xff800000], bits);
        Assert.Equal([double.NegativeInfinity, 1e-320], file.Cloud.FindAttribute("d")!.AsSpan<double>().ToArray());
        Assert.Equal(new PointField("z", ScalarType.Float32), file.Fields[2]);
        Assert.Equal(Viewpoint.Identity, file.Cloud.Viewpoint);
        Assert.Equal("0.7", file.Version);
    }

    [Fact]
    public void Empty_cloud_reads_as_zero_points_with_its_channels()
    {
        const string text = "FIELDS x y z label\nSIZE 4 4 4 4\nTYPE F F F U\nWIDTH 0\nHEIGHT 0\nPOINTS 0\nDATA binary_compressed\n";

        PointCloudFile file = PcdReader.Read(new MemoryStream(Encoding.ASCII.GetBytes(text)), "empty");

        Assert.Equal(0, file.Cloud.Count);
        Assert.Equal(new PointField("label", ScalarType.UInt32), file.Cloud.Attributes.Single().Field);
    }

    [Fact]
    public void Reading_starts_at_the_stream_position_and_counts_offsets_from_there()
    {
        byte[] pcd = PcdFixtures.Bytes("bad/truncated_binary.pcd");
        var stream = new MemoryStream([.. "prefix"u8, .. pcd]);
        stream.Position = 6;

        var error = Assert.Throws<PointCloudFormatException>(() => PcdReader.Read(stream, "embedded"));

        Assert.Equal(pcd.Length, error.ByteOffset);
        Assert.Equal("embedded", error.File);
    }

    [Fact]
    public void Ascii_parsing_allocates_the_cloud_and_its_buffers_but_nothing_per_value()
    {
        var intensity = new AttributeChannel("intensity", ScalarType.Float32, 4, 20_000);
        float[] xyz = new float[60_000];
        for (int i = 0; i < xyz.Length; i++)
        {
            xyz[i] = i * 0.37f;
        }

        intensity.AsSpan<float>().Fill(1.25f);
        var text = new MemoryStream();
        PcdWriter.Write(text, new PointCloud(xyz, 20_000, 1, [intensity]), PointCloudEncoding.Ascii);
        byte[] bytes = text.ToArray();
        PcdReader.Read(new MemoryStream(bytes), "warm-up");

        PointCloudFile file = null!;
        long allocated = Allocations.LeastPerRound(Allocations.Rounds, () => file = PcdReader.Read(new MemoryStream(bytes), "ascii"));

        // Output: 240 kB of positions and 320 kB of intensity; 140,000 values would add megabytes if each allocated.
        Assert.InRange(allocated, 560_000, 560_000 + 64_000);
        Assert.Equal(xyz, file.Cloud.Positions);
    }
}
