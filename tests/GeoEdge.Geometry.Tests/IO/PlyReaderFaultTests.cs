using System.Buffers.Binary;
using System.Text;
using GeoEdge.Geometry.IO;
using GeoEdge.Testing;

namespace GeoEdge.Geometry.Tests.IO;

/// <summary>Malformed PLY input: each case gives a PointCloudFormatException naming the file and the line or byte at fault.</summary>
[Trait("Category", "Fault")]
public sealed class PlyReaderFaultTests
{
    // Header of 7 lines; ascii data starts on line 8.
    private const string XyzAscii = "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nend_header\n";
    private const string XyzBinary = "ply\nformat binary_little_endian 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nend_header\n";

    [Theory]
    [InlineData("")]
    [InlineData("plx\nformat ascii 1.0\nend_header\n")]
    [InlineData("PLY\nformat ascii 1.0\nend_header\n")]
    [InlineData("ply2\nformat ascii 1.0\nend_header\n")]
    [InlineData("ply extra\nformat ascii 1.0\nend_header\n")]
    public void Missing_ply_magic(string text)
    {
        PointCloudFormatException ex = PlyAssert.Throws(Encoding.ASCII.GetBytes(text));

        Assert.Equal(1, ex.HeaderLine);
        Assert.Contains("'ply' magic", ex.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("format binary 1.0", 2, "unknown format 'binary'")]
    [InlineData("format ascii", 2, "encoding and a version")]
    [InlineData("format ascii 1.0\nformat ascii 1.0", 3, "second 'format'")]
    [InlineData("format ascii 1.0\nelement vertex 1\nproperty float16 x", 4, "unknown property type 'float16'")]
    [InlineData("format ascii 1.0\nelement vertex 1\nproperty int64 x", 4, "unknown property type 'int64'")]
    [InlineData("format ascii 1.0\nelement vertex 1\nproperty list float int x", 4, "not an integer type")]
    [InlineData("format ascii 1.0\nelement vertex 1\nproperty list uchar int", 4, "TYPE NAME")]
    [InlineData("format ascii 1.0\nproperty float x", 3, "before any 'element'")]
    [InlineData("format ascii 1.0\nelement vertex -5", 3, "bad count '-5'")]
    [InlineData("format ascii 1.0\nelement vertex many", 3, "bad count 'many'")]
    [InlineData("format ascii 1.0\nelement vertex 99999999999999999999", 3, "bad count")]
    [InlineData("format ascii 1.0\nelement vertex 0\nelement vertex 0", 4, "declared twice")]
    [InlineData("format ascii 1.0\nelement vertex 1\nproperty float x\nproperty double x", 5, "declared twice")]
    [InlineData("format ascii 1.0\nvertices 3", 3, "unknown header keyword 'vertices'")]
    [InlineData("element vertex 0", 3, "no 'format' line")]
    [InlineData("format ascii 1.0\nelement face 0\nproperty list uchar int vertex_indices", 5, "no 'vertex' element")]
    [InlineData("format ascii 1.0\nelement vertex 0\nproperty float x\nproperty float y", 3, "lacks one of the properties x, y, z")]
    [InlineData("format ascii 1.0\nelement vertex 0\nproperty float x\nproperty float y\nproperty list uchar float z", 3, "is a list")]
    public void Bad_header_names_the_line(string body, int line, string detail)
    {
        PointCloudFormatException ex = PlyAssert.Throws(Encoding.ASCII.GetBytes($"ply\n{body}\nend_header\n"));

        Assert.Equal(line, ex.HeaderLine);
        Assert.Contains(detail, ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_without_end_header_in_the_first_64_KiB()
    {
        var text = new StringBuilder("ply\nformat ascii 1.0\n");
        while (text.Length < 70_000)
        {
            text.Append("comment padding padding padding padding padding padding\n");
        }

        PointCloudFormatException ex = PlyAssert.Throws(Encoding.ASCII.GetBytes(text.ToString()));

        Assert.Contains("no 'end_header' within the first 65536 bytes", ex.Detail, StringComparison.Ordinal);
        Assert.True(ex.HeaderLine > 1000);
    }

    [Fact]
    public void File_ending_inside_the_header()
    {
        PointCloudFormatException ex = PlyAssert.Throws(Encoding.ASCII.GetBytes("ply\nformat ascii 1.0\nelement vertex 3\nprop"));

        Assert.Equal(4, ex.HeaderLine);
        Assert.Contains("no 'end_header' before the file ends at byte 42", ex.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("binary_little_endian", "1000000000")]
    [InlineData("binary_big_endian", "9223372036854775807")]
    [InlineData("ascii", "1000000000")]
    [InlineData("ascii", "9223372036854775807")]
    public void Absurd_vertex_count_is_refused_before_anything_is_allocated_for_it(string format, string count)
    {
        byte[] file = Encoding.ASCII.GetBytes(
            $"ply\nformat {format} 1.0\nelement vertex {count}\nproperty double x\nproperty double y\nproperty double z\nend_header\n" +
            "1 2 3 4 5 6 7 8 9 10 11 12\n");
        PointCloudFormatException ex = null!;

        long allocated = Allocations.LeastPerRound(Allocations.Rounds, () => ex = PlyAssert.Throws(file));

        Assert.True(allocated < 1_000_000, $"{allocated} bytes: allocated from the declared count");
        Assert.Equal(3, ex.HeaderLine);
        Assert.Equal(file.Length, ex.ByteOffset);
        Assert.Contains($"declares {count} records", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Absurd_count_of_an_element_before_the_vertex_is_refused_too()
    {
        byte[] file = Encoding.ASCII.GetBytes(
            "ply\nformat binary_little_endian 1.0\nelement face 5000000\nproperty list uchar int vertex_indices\n" +
            "element vertex 0\nproperty float x\nproperty float y\nproperty float z\nend_header\n\0\0\0");

        PointCloudFormatException ex = PlyAssert.Throws(file);

        Assert.Equal(3, ex.HeaderLine);
    }

    [Fact]
    public void Truncated_binary_names_the_element_and_where_the_file_ends()
    {
        byte[] file = [.. Encoding.ASCII.GetBytes(XyzBinary), .. new byte[30]];

        PointCloudFormatException ex = PlyAssert.Throws(file);

        Assert.Equal(3, ex.HeaderLine);
        Assert.Equal(file.Length, ex.ByteOffset);
        Assert.Contains("element 'vertex' declares 3 records", ex.Detail, StringComparison.Ordinal);
        Assert.Contains("30 bytes after the header", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_binary_after_lists_names_the_offset_of_the_first_incomplete_record()
    {
        // The face's lists are longer than their minimum, so only decoding finds the vertices short.
        string header = "ply\nformat binary_little_endian 1.0\nelement face 1\nproperty list uchar int vertex_indices\n" +
            "element vertex 2\nproperty float x\nproperty float y\nproperty float z\nend_header\n";
        byte[] file = [.. Encoding.ASCII.GetBytes(header), 3, .. new byte[12], .. new byte[20]];

        PointCloudFormatException ex = PlyAssert.Throws(file);

        Assert.Null(ex.HeaderLine);
        Assert.Equal(header.Length + 13 + 12, ex.ByteOffset);
        Assert.Contains("record 1 of 2", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_binary_record_with_a_list_names_the_property_it_ends_in()
    {
        string header = "ply\nformat binary_big_endian 1.0\nelement vertex 2\nproperty float x\nproperty float y\n" +
            "property list uchar int ids\nproperty float z\nend_header\n";
        byte[] record = [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0, 0];
        byte[] file = [.. Encoding.ASCII.GetBytes(header), .. record, .. record.AsSpan(0, 10)];

        PointCloudFormatException ex = PlyAssert.Throws(file);

        Assert.Equal(header.Length + record.Length + 8, ex.ByteOffset);
        Assert.Contains("list 'ids' of 1 items runs past the end", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_element_after_the_vertices()
    {
        string header = "ply\nformat binary_little_endian 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\n" +
            "element edge 2\nproperty int vertex1\nproperty int vertex2\nend_header\n";
        byte[] file = [.. Encoding.ASCII.GetBytes(header), .. new byte[12 + 8 + 7]];

        PointCloudFormatException ex = PlyAssert.Throws(file);

        Assert.Equal(7, ex.HeaderLine);
        Assert.Equal(file.Length, ex.ByteOffset);
        Assert.Contains("element 'edge' declares 2 records", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Ascii_line_with_too_few_values()
    {
        string data = "1.5 2.5 3.5\n4.5 5.5\n7.5 8.5 9.5\n";

        PointCloudFormatException ex = PlyAssert.Throws(Encoding.ASCII.GetBytes(XyzAscii + data));

        Assert.Equal(XyzAscii.Length + data.IndexOf("5.5\n", StringComparison.Ordinal) + 3, ex.ByteOffset);
        Assert.Contains("line 9", ex.Detail, StringComparison.Ordinal);
        Assert.Contains("too few values", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Ascii_with_too_few_lines()
    {
        string data = "1.5 2.5 3.5\r\n4.5 5.5 6.5\r\n\r\n";

        PointCloudFormatException ex = PlyAssert.Throws(Encoding.ASCII.GetBytes(XyzAscii + data));

        Assert.Equal(XyzAscii.Length + data.Length, ex.ByteOffset);
        Assert.Contains("file ends after 2 of 3 records", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Ascii_line_with_too_many_values()
    {
        PointCloudFormatException ex = PlyAssert.Throws(Encoding.ASCII.GetBytes(XyzAscii + "1 2 3\n4 5 6 7\n7 8 9\n"));

        Assert.Equal(XyzAscii.Length + 12, ex.ByteOffset);
        Assert.Contains("more values", ex.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1 abc 3", 2, "'abc' is not a valid float")]
    [InlineData("1 2 3x", 4, "'3x' is not a valid float")]
    [InlineData("1 2 0x10", 4, "'0x10'")]
    [InlineData("1 2 3 256", 6, "'256' is not a valid uchar")]
    [InlineData("1 2 3 -1", 6, "'-1' is not a valid uchar")]
    [InlineData("1 2 3 1.5", 6, "'1.5' is not a valid uchar")]
    [InlineData("1 2 3 \u0001\u0002", 6, "'??' is not a valid uchar")]
    public void Ascii_value_that_is_not_a_number_of_its_type(string line, int column, string detail)
    {
        string header = XyzAscii.Replace("element vertex 3", "element vertex 1", StringComparison.Ordinal)
            .Replace("end_header", line.Split(' ').Length == 4 ? "property uchar red\nend_header" : "end_header", StringComparison.Ordinal);

        PointCloudFormatException ex = PlyAssert.Throws(Encoding.Latin1.GetBytes(header + line + "\n"));

        Assert.Equal(header.Length + column, ex.ByteOffset);
        Assert.Contains(detail, ex.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PointCloudEncoding.BinaryLittleEndian)]
    [InlineData(PointCloudEncoding.BinaryBigEndian)]
    public void Binary_list_count_running_past_the_end(PointCloudEncoding encoding)
    {
        string header = MeshHeader(encoding, "uchar");
        byte[] file = [.. Encoding.ASCII.GetBytes(header), .. new byte[12], 200, .. new byte[12]];

        PointCloudFormatException ex = PlyAssert.Throws(file);

        Assert.Equal(header.Length + 12, ex.ByteOffset);
        Assert.Contains("list 'vertex_indices' of 200 items runs past the end", ex.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PointCloudEncoding.BinaryLittleEndian)]
    [InlineData(PointCloudEncoding.BinaryBigEndian)]
    public void Binary_negative_list_count(PointCloudEncoding encoding)
    {
        string header = MeshHeader(encoding, "int");
        byte[] count = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(count, -1);
        byte[] file = [.. Encoding.ASCII.GetBytes(header), .. new byte[12], .. count, .. new byte[12]];

        PointCloudFormatException ex = PlyAssert.Throws(file);

        Assert.Equal(header.Length + 12, ex.ByteOffset);
        Assert.Contains("negative count -1", ex.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1 0 1 2", "negative count -1")]
    [InlineData("4 0 1 2", "too few values")]
    [InlineData("2147483647 0 1 2", "too few values")]
    [InlineData("3 0 1 x", "'x' is not a valid int")]
    public void Ascii_bad_list(string face, string detail)
    {
        string header = MeshHeader(PointCloudEncoding.Ascii, "int");

        PointCloudFormatException ex = PlyAssert.Throws(Encoding.ASCII.GetBytes(header + "0 0 0\n" + face + "\n"));

        Assert.Contains("element 'face' record 0", ex.Detail, StringComparison.Ordinal);
        Assert.Contains(detail, ex.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Binary_garbage(int seed)
    {
        var rng = new Random(seed);
        byte[] garbage = new byte[4096];
        rng.NextBytes(garbage);
        byte[] afterMagic = [.. "ply\n"u8, .. garbage];

        PlyAssert.Throws(garbage);
        PlyAssert.Throws(afterMagic);
    }

    private static string MeshHeader(PointCloudEncoding encoding, string countType) =>
        $"ply\nformat {PointCloudEncodings.Name(encoding)} 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\n" +
        $"element face 1\nproperty list {countType} int vertex_indices\nend_header\n";
}
