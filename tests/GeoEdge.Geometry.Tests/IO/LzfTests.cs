using GeoEdge.Geometry.IO;

namespace GeoEdge.Geometry.Tests.IO;

[Trait("Category", "Unit")]
public sealed class LzfTests
{
    [Fact]
    public void Decompress_follows_literal_runs_and_back_references()
    {
        // "abc" literal, then copy 3 from 3 back, then copy 9 (7 + 0 extra + 2) from 1 back (overlapping).
        byte[] block = [2, (byte)'a', (byte)'b', (byte)'c', (1 << 5) | 0, 2, 7 << 5, 0, 0];
        byte[] output = new byte[15];

        int written = Lzf.Decompress(block, output, "test", 0);

        Assert.Equal(15, written);
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes("abcabc" + new string('c', 9)), output);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(1000)]
    [InlineData(200_000)]
    public void Compress_then_decompress_gives_the_input_back(int length)
    {
        var random = new Random(length);
        foreach (byte[] input in (byte[][])[RandomBytes(random, length), RepetitiveBytes(random, length)])
        {
            byte[] packed = new byte[Lzf.MaxCompressedLength(length)];
            int size = Lzf.Compress(input, packed);
            byte[] output = new byte[length];

            int written = Lzf.Decompress(packed.AsSpan(0, size), output, "test", 0);

            Assert.Equal(length, written);
            Assert.Equal(input, output);
        }
    }

    [Fact]
    public void Repetitive_data_shrinks_and_a_too_small_output_is_reported_as_zero()
    {
        byte[] input = new byte[100_000];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (byte)((i % 97) + (i / 5000));
        }

        byte[] packed = new byte[Lzf.MaxCompressedLength(input.Length)];

        int size = Lzf.Compress(input, packed);

        Assert.InRange(size, 1, input.Length / 10);
        Assert.Equal(0, Lzf.Compress(input, new byte[size - 1]));
        Assert.Equal(0, Lzf.Compress(RandomBytes(new Random(6), 100), new byte[100]));
    }

    [Fact]
    public void Longest_back_reference_is_264_bytes_at_most_8192_back()
    {
        byte[] input = new byte[20_000];
        new Random(7).NextBytes(input.AsSpan(0, 8192));
        input.AsSpan(0, 8192).CopyTo(input.AsSpan(8192));
        byte[] packed = new byte[Lzf.MaxCompressedLength(input.Length)];

        int size = Lzf.Compress(input, packed);
        byte[] output = new byte[input.Length];

        Assert.Equal(input.Length, Lzf.Decompress(packed.AsSpan(0, size), output, "test", 0));
        Assert.Equal(input, output);
        Assert.InRange(size, 8192, 8192 + (8192 / 32) + 600);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Float-like data with repeats at many distances, as field planes of a scan look.</summary>
    private static byte[] RepetitiveBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = i >= 16 && random.Next(4) != 0 ? bytes[i - (4 << random.Next(3))] : (byte)random.Next(8);
        }

        return bytes;
    }
}
