using GeoEdge.Geometry.IO;

namespace GeoEdge.Geometry.Tests.IO;

[Trait("Category", "Fault")]
public sealed class LzfFaultTests
{
    [Theory]
    [InlineData(new byte[] { 0x20, 0x00 }, 0, "before the start")]
    [InlineData(new byte[] { 1, 9, 9, 0x20, 0x02 }, 3, "before the start")]
    [InlineData(new byte[] { 4, 1, 2 }, 0, "overruns the input")]
    [InlineData(new byte[] { 0, 1, 0xE0 }, 2, "cut off")]
    [InlineData(new byte[] { 0, 1, 0xE0, 5 }, 2, "cut off")]
    [InlineData(new byte[] { 0, 1, 0x40 }, 2, "cut off")]
    [InlineData(new byte[] { 0, 1, 0xE0, 0xFF, 0x00 }, 2, "overruns the output")]
    [InlineData(new byte[] { 31, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 }, 0, "overruns the output")]
    public void Corrupt_block_names_the_offset_of_the_bad_token(byte[] block, int token, string detail)
    {
        byte[] output = new byte[16];

        var error = Assert.Throws<PointCloudFormatException>(() => Lzf.Decompress(block, output, "cloud.pcd", 1000));

        Assert.Equal(1000 + token, error.ByteOffset);
        Assert.Equal("cloud.pcd", error.File);
        Assert.Contains(detail, error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_blocks_decode_or_fail_with_a_format_error_and_never_write_past_the_output()
    {
        var random = new Random(11);
        for (int iteration = 0; iteration < 2000; iteration++)
        {
            byte[] block = new byte[random.Next(0, 64)];
            random.NextBytes(block);
            byte[] output = new byte[random.Next(0, 256) + 8];
            output.AsSpan(output.Length - 8).Fill(0xEE);
            try
            {
                int written = Lzf.Decompress(block, output.AsSpan(0, output.Length - 8), "fuzz", 0);
                Assert.InRange(written, 0, output.Length - 8);
            }
            catch (PointCloudFormatException)
            {
            }

            Assert.Equal(new byte[] { 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE }, output[^8..]);
        }
    }
}
