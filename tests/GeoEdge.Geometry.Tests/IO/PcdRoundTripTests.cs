using System.Runtime.InteropServices;
using GeoEdge.Geometry.IO;

namespace GeoEdge.Geometry.Tests.IO;

[Trait("Category", "Unit")]
public sealed class PcdRoundTripTests
{
    private static readonly PointCloudEncoding[] Encodings = [PointCloudEncoding.Ascii, PointCloudEncoding.Binary, PointCloudEncoding.BinaryCompressed];

    public static TheoryData<int, PointCloudEncoding> RandomCases()
    {
        var data = new TheoryData<int, PointCloudEncoding>();
        for (int seed = 0; seed < 40; seed++)
        {
            foreach (PointCloudEncoding encoding in Encodings)
            {
                data.Add(seed, encoding);
            }
        }

        return data;
    }

    public static TheoryData<PointCloudEncoding> AllEncodings() => [.. Encodings];

    [Theory]
    [MemberData(nameof(RandomCases))]
    public void Random_cloud_reads_back_bit_exactly(int seed, PointCloudEncoding encoding)
    {
        PointCloud cloud = RandomCloud(new Random(seed));
        var stream = new MemoryStream();

        PcdWriter.Write(stream, cloud, encoding);
        PointCloudFile file = PcdReader.Read(new MemoryStream(stream.ToArray()), $"seed {seed}");

        Assert.Equal(encoding, file.Encoding);
        AssertSame(cloud, file.Cloud, encoding);
    }

    [Theory]
    [MemberData(nameof(AllEncodings))]
    public void Clouds_of_zero_and_one_point_read_back(PointCloudEncoding encoding)
    {
        var label = new AttributeChannel("label", ScalarType.UInt16, 2, 1, [1, 2, 3, 4]);
        foreach (PointCloud cloud in (PointCloud[])[new PointCloud([]), new PointCloud([1.5f, float.NaN, -0f], 1, 1, [label])])
        {
            var stream = new MemoryStream();
            PcdWriter.Write(stream, cloud, encoding);

            PointCloudFile file = PcdReader.Read(new MemoryStream(stream.ToArray()), "small");

            AssertSame(cloud, file.Cloud, encoding);
        }
    }

    [Theory]
    [MemberData(nameof(AllEncodings))]
    public void Writing_to_a_path_then_reading_through_a_pipe_gives_the_cloud_back(PointCloudEncoding encoding)
    {
        PointCloud cloud = RandomCloud(new Random(99));
        string dir = Directory.CreateTempSubdirectory("pcd-roundtrip-").FullName;
        try
        {
            string path = Path.Combine(dir, "cloud.pcd");
            PcdWriter.Write(path, cloud, encoding);

            PointCloudFile file = PcdReader.Read(new NonSeekableStream(File.ReadAllBytes(path)), path);

            AssertSame(cloud, file.Cloud, encoding);
            Assert.Equal(["cloud.pcd"], Directory.GetFiles(dir).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Bits must match, except that ascii spells every NaN "nan", which reads back as PCL's quiet NaN.</summary>
    private static void AssertSame(PointCloud expected, PointCloud actual, PointCloudEncoding encoding)
    {
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        Assert.Equal(expected.Viewpoint, actual.Viewpoint);
        Assert.Equal(Canonical(MemoryMarshal.AsBytes(expected.Positions.AsSpan()), ScalarType.Float32, encoding), Convert.ToHexStringLower(MemoryMarshal.AsBytes(actual.Positions.AsSpan())));
        Assert.Equal(expected.Attributes.Select(a => a.Field), actual.Attributes.Select(a => a.Field));
        for (int i = 0; i < expected.Attributes.Count; i++)
        {
            Assert.Equal(Canonical(expected.Attributes[i].Bytes, expected.Attributes[i].Type, encoding), Convert.ToHexStringLower(actual.Attributes[i].Bytes));
        }
    }

    private static string Canonical(ReadOnlySpan<byte> bytes, ScalarType type, PointCloudEncoding encoding)
    {
        byte[] copy = bytes.ToArray();
        if (encoding == PointCloudEncoding.Ascii && type == ScalarType.Float32)
        {
            Span<float> values = MemoryMarshal.Cast<byte, float>(copy.AsSpan());
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = float.IsNaN(values[i]) ? BitConverter.UInt32BitsToSingle(0x7fc00000) : values[i];
            }
        }
        else if (encoding == PointCloudEncoding.Ascii && type == ScalarType.Float64)
        {
            Span<double> values = MemoryMarshal.Cast<byte, double>(copy.AsSpan());
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = double.IsNaN(values[i]) ? BitConverter.UInt64BitsToDouble(0x7ff8000000000000) : values[i];
            }
        }

        return Convert.ToHexStringLower(copy);
    }

    /// <summary>Random shape (empty, one point, unorganized, organized with NaN points), random fields of every type and COUNT, random bits.</summary>
    private static PointCloud RandomCloud(Random random)
    {
        int shape = random.Next(6);
        (int width, int height) = shape switch
        {
            0 => (0, 1),
            1 => (1, 1),
            2 => (random.Next(2, 9), random.Next(2, 7)),
            _ => (random.Next(2, 300), 1),
        };
        int n = width * height;
        float[] positions = new float[n * 3];
        for (int i = 0; i < positions.Length; i++)
        {
            positions[i] = RandomFloat(random);
        }

        if (height > 1)
        {
            for (int p = 0; p < n; p += random.Next(1, 4))
            {
                positions.AsSpan(p * 3, 3).Fill(float.NaN);
            }
        }

        var channels = new List<AttributeChannel>();
        int fieldCount = random.Next(0, 7);
        for (int f = 0; f < fieldCount; f++)
        {
            var type = (ScalarType)random.Next(10);
            int count = random.Next(4) switch { 0 => 33, 1 => random.Next(2, 6), _ => 1 };
            var channel = new AttributeChannel($"f{f}_{ScalarTypes.ShortName(type)}", type, count, n);
            random.NextBytes(channel.Bytes);
            if (type == ScalarType.Float32)
            {
                Span<float> values = channel.AsSpan<float>();
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = random.Next(3) == 0 ? values[i] : RandomFloat(random);
                }
            }

            channels.Add(channel);
        }

        var viewpoint = new Viewpoint(random.NextDouble(), -random.NextDouble(), 0.1, 1, 0, 0, 0);
        return new PointCloud(positions, width, height, channels, viewpoint: viewpoint);
    }

    private static float RandomFloat(Random random) => random.Next(12) switch
    {
        0 => float.NaN,
        1 => float.PositiveInfinity,
        2 => -0f,
        3 => float.Epsilon * random.Next(1, 1000),
        4 => BitConverter.Int32BitsToSingle(random.Next()),
        _ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 9))),
    };
}
