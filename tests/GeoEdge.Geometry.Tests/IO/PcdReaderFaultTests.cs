using System.Text;
using System.Text.Json;
using GeoEdge.Geometry.IO;
using GeoEdge.Testing;

namespace GeoEdge.Geometry.Tests.IO;

[Trait("Category", "Fault")]
public sealed class PcdReaderFaultTests
{
    public static TheoryData<string> BadFixtures()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(PcdFixtures.PathOf("bad/pcd_expected_errors.json")));
        return [.. doc.RootElement.EnumerateObject().Select(p => p.Name)];
    }

    [Theory]
    [MemberData(nameof(BadFixtures))]
    public void Broken_file_raises_a_format_error_naming_the_file_and_the_place(string name)
    {
        string path = PcdFixtures.PathOf($"bad/{name}");

        var error = Assert.Throws<PointCloudFormatException>(() => PcdReader.Read(path));

        AssertExpected(name, path, error);
    }

    [Theory]
    [MemberData(nameof(BadFixtures))]
    public void Broken_stream_that_cannot_seek_raises_the_same_error(string name)
    {
        byte[] bytes = PcdFixtures.Bytes($"bad/{name}");

        var error = Assert.Throws<PointCloudFormatException>(() => PcdReader.Read(new NonSeekableStream(bytes, maxChunk: 4096), name));

        AssertExpected(name, name, error);
    }

    [Theory]
    [InlineData("binary", "FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 715827882\nHEIGHT 1\nPOINTS 715827882\nDATA binary\n")]
    [InlineData("binary", "FIELDS x y z h\nSIZE 4 4 4 1\nTYPE F F F U\nCOUNT 1 1 1 1000000\nWIDTH 2000000\nHEIGHT 1000\nPOINTS 2000000000\nDATA binary\n")]
    [InlineData("ascii", "FIELDS x y z\nSIZE 8 8 8\nTYPE F F F\nWIDTH 700000000\nHEIGHT 1\nPOINTS 700000000\nDATA ascii\n1 2 3\n")]
    [InlineData("compressed", "FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 300000000\nHEIGHT 1\nPOINTS 300000000\nDATA binary_compressed\n")]
    public void Huge_headers_over_a_pipe_fail_without_allocating_for_them(string kind, string header)
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes(header), .. new byte[64]];
        PointCloudFormatException error = null!;

        long allocated = Allocations.LeastPerRound(Allocations.Rounds, () => error = Assert.Throws<PointCloudFormatException>(() => PcdReader.Read(new NonSeekableStream(bytes), kind)));

        Assert.InRange(allocated, 0, 8 << 20);
        Assert.NotNull(error.ByteOffset ?? error.HeaderLine);
    }

    public static TheoryData<string> FuzzSeeds() =>
    [
        "pcl/mixed_ascii.pcd", "pcl/mixed_binary.pcd", "pcl/mixed_binary_compressed.pcd", "pcl/organized_handmade_ascii.pcd",
        "pcl/typed_binary_compressed.pcd", "pcl/table_piece_fpfh_estimation.pcd", "open3d/sphere_colored_normals_binary_compressed.pcd",
        "open3d/sphere_xyz_binary.pcd", "pcl/v07_short_version_crlf_ascii.pcd",
    ];

    [Theory]
    [MemberData(nameof(FuzzSeeds))]
    public void Flipped_and_truncated_bytes_give_a_cloud_or_a_format_error_and_nothing_else(string fixture)
    {
        byte[] original = PcdFixtures.Bytes(fixture);
        var random = new Random(fixture.Length * 7919);
        int failures = 0;
        for (int iteration = 0; iteration < 300; iteration++)
        {
            byte[] bytes = Mutate(original, random);
            Stream stream = iteration % 3 == 0 ? new NonSeekableStream(bytes, 1 + random.Next(5000)) : new MemoryStream(bytes);
            try
            {
                PcdReader.Read(stream, fixture);
            }
            catch (PointCloudFormatException error)
            {
                Assert.Equal(fixture, error.File);
                failures++;
            }
            catch (Exception other)
            {
                Assert.Fail($"iteration {iteration}: {other.GetType().Name}: {other.Message}");
            }
        }

        Assert.InRange(failures, 1, 299);
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        byte[] bytes = (byte[])original.Clone();
        int flips = random.Next(0, 9);
        for (int i = 0; i < flips; i++)
        {
            // Half the flips land in the first 600 bytes, where the header and the compressed sizes are.
            int at = random.Next(2) == 0 ? random.Next(Math.Min(600, bytes.Length)) : random.Next(bytes.Length);
            bytes[at] = random.Next(3) switch
            {
                0 => (byte)(bytes[at] ^ (1 << random.Next(8))),
                1 => (byte)random.Next(256),
                _ => (byte)"0123456789 \n-.e"[random.Next(15)],
            };
        }

        return flips == 0 || random.Next(3) == 0 ? bytes[..random.Next(bytes.Length)] : bytes;
    }

    private static void AssertExpected(string name, string file, PointCloudFormatException error)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(PcdFixtures.PathOf("bad/pcd_expected_errors.json")));
        JsonElement expected = doc.RootElement.GetProperty(name);
        Assert.Equal(file, error.File);
        Assert.Equal(expected.GetProperty("offset").ValueKind == JsonValueKind.Null ? null : expected.GetProperty("offset").GetInt64(), error.ByteOffset);
        Assert.Equal(expected.GetProperty("line").ValueKind == JsonValueKind.Null ? null : expected.GetProperty("line").GetInt32(), error.HeaderLine);
        Assert.Contains(expected.GetProperty("detail").GetString()!, error.Detail, StringComparison.Ordinal);
        Assert.StartsWith(file + ": ", error.Message, StringComparison.Ordinal);
    }
}
