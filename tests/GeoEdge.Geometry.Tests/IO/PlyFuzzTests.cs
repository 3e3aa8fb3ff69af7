using System.Text;
using GeoEdge.Geometry.IO;

namespace GeoEdge.Geometry.Tests.IO;

/// <summary>Valid files with random bytes flipped, replaced, inserted or cut off: the reader either reads them or says PointCloudFormatException.</summary>
[Trait("Category", "Fault")]
public sealed class PlyFuzzTests
{
    private const int Iterations = 300;

    /// <summary>Bytes that steer a parser: digits grow counts, separators split tokens, '-' makes them negative.</summary>
    private static readonly byte[] Steering = "9 \n\r-0.e\t\0"u8.ToArray();

    public static TheoryData<string> Files() => new(
        "handmade/mixed_ascii.ply",
        "handmade/mixed_ascii_crlf.ply",
        "handmade/mixed_little_endian.ply",
        "handmade/mixed_big_endian.ply",
        "pcl/pcd2ply_ascii.ply",
        "pcl/pcd2ply_organized_binary.ply",
        "open3d/mesh_binary.ply",
        "writer:Ascii",
        "writer:BinaryLittleEndian",
        "writer:BinaryBigEndian");

    [Theory]
    [MemberData(nameof(Files))]
    public void Mutated_files_read_or_fail_with_a_format_exception(string name)
    {
        byte[] original = Load(name);
        int headerEnd = Encoding.Latin1.GetString(original).IndexOf("end_header", StringComparison.Ordinal) + 11;
        var rng = new Random(StableSeed(name));
        int failures = 0;
        for (int i = 0; i < Iterations; i++)
        {
            byte[] mutated = Mutate(original, headerEnd, rng, i % 6);

            Exception? ex = Record.Exception(() => Check(PlyReader.Read(new MemoryStream(mutated), "fuzz.ply")));

            if (ex is not null)
            {
                Assert.True(ex is PointCloudFormatException, $"{name} iteration {i}: {ex.GetType().Name}: {ex.Message}");
                Assert.Equal("fuzz.ply", ((PointCloudFormatException)ex).File);
                failures++;
            }
        }

        // Sanity: the mutations do break files (a fuzzer that never trips anything proves nothing).
        Assert.InRange(failures, Iterations / 5, Iterations);
    }

    private static byte[] Mutate(byte[] original, int headerEnd, Random rng, int kind)
    {
        byte[] b = (byte[])original.Clone();
        switch (kind)
        {
            case 0: // flip anywhere
                for (int k = rng.Next(1, 5); k > 0; k--)
                {
                    b[rng.Next(b.Length)] ^= (byte)rng.Next(1, 256);
                }

                return b;
            case 1: // steer the header
                b[rng.Next(headerEnd)] = Steering[rng.Next(Steering.Length)];
                return b;
            case 2: // steer the data
                b[rng.Next(headerEnd, b.Length)] = Steering[rng.Next(Steering.Length)];
                return b;
            case 3: // cut short
                return b[..rng.Next(b.Length)];
            case 4: // flip and cut
                b[rng.Next(b.Length)] ^= (byte)rng.Next(1, 256);
                return b[..rng.Next(headerEnd / 2, b.Length)];
            default: // insert random bytes
                byte[] noise = new byte[rng.Next(1, 9)];
                rng.NextBytes(noise);
                int at = rng.Next(b.Length);
                return [.. b.AsSpan(0, at), .. noise, .. b.AsSpan(at)];
        }
    }

    /// <summary>string.GetHashCode differs between runs; the fuzz cases must not.</summary>
    private static int StableSeed(string name)
    {
        int seed = 0x5EED;
        foreach (char c in name)
        {
            seed = unchecked((seed * 31) + c);
        }

        return seed;
    }

    /// <summary>What a successful read must still guarantee.</summary>
    private static void Check(PointCloudFile file)
    {
        PointCloud cloud = file.Cloud;
        Assert.Equal(cloud.Count * 3, cloud.Positions.Length);
        Assert.Equal((long)cloud.Width * cloud.Height, cloud.Count);
        foreach (AttributeChannel channel in cloud.Attributes)
        {
            Assert.Equal(cloud.Count, channel.PointCount);
        }

        Assert.Equal(cloud.Attributes.Count + 3, file.Fields.Count);
    }

    private static byte[] Load(string name)
    {
        if (!name.StartsWith("writer:", StringComparison.Ordinal))
        {
            return File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fixtures", name));
        }

        var encoding = Enum.Parse<PointCloudEncoding>(name["writer:".Length..]);
        var rgb = new AttributeChannel("rgb", ScalarType.UInt8, 3, 4);
        var intensity = new AttributeChannel("intensity", ScalarType.Float64, 1, 4);
        var ring = new AttributeChannel("ring", ScalarType.Int16, 1, 4);
        new Random(7).NextBytes(rgb.Bytes);
        for (int i = 0; i < 4; i++)
        {
            intensity.SetDouble(i, 0, i * 1.25);
            ring.SetDouble(i, 0, -i);
        }

        var cloud = new PointCloud([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 2, 2, [rgb, intensity, ring]);
        var stream = new MemoryStream();
        PlyWriter.Write(stream, cloud, encoding);
        return stream.ToArray();
    }
}
