using BenchmarkDotNet.Attributes;
using GeoEdge.Geometry;
using GeoEdge.Geometry.IO;

namespace GeoEdge.Benchmarks;

/// <summary>Reading a 1M-point x y z rgb PCD (the shape of a PCL PointXYZRGB scan) in binary and binary_compressed.</summary>
/// <remarks>Open3D's side of the comparison is bench/compare_pcd_read.py, which times both readers on the same files.</remarks>
[MemoryDiagnoser]
public class PcdReadBenchmarks
{
    private string _directory = "";
    private string _binary = "";
    private string _compressed = "";

    [Params(1_000_000)]
    public int Points { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("geoedge-pcd-bench-").FullName;
        PointCloud cloud = ScanLikeCloud(Points);
        _binary = Path.Combine(_directory, "scan_binary.pcd");
        _compressed = Path.Combine(_directory, "scan_binary_compressed.pcd");
        PcdWriter.Write(_binary, cloud, PointCloudEncoding.Binary);
        PcdWriter.Write(_compressed, cloud, PointCloudEncoding.BinaryCompressed);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark]
    public PointCloud ReadBinary() => PcdReader.Read(_binary).Cloud;

    [Benchmark]
    public PointCloud ReadBinaryCompressed() => PcdReader.Read(_compressed).Cloud;

    /// <summary>A range image of a wavy surface: millimetre-quantized coordinates and smooth colours, so LZF finds what it finds in real scans.</summary>
    internal static PointCloud ScanLikeCloud(int points)
    {
        var random = new Random(42);
        float[] xyz = new float[points * 3];
        var rgb = new AttributeChannel("rgb", ScalarType.Float32, 1, points);
        Span<uint> colours = rgb.AsSpan<uint>();
        int width = (int)Math.Sqrt(points);
        for (int i = 0; i < points; i++)
        {
            float u = (i % width) * 0.002f, v = (i / width) * 0.002f;
            float z = 1.5f + (0.1f * MathF.Sin(u * 3)) + (0.05f * MathF.Cos(v * 5)) + (0.001f * random.Next(-2, 3));
            xyz[i * 3] = MathF.Round(u * z * 1000) / 1000;
            xyz[(i * 3) + 1] = MathF.Round(v * z * 1000) / 1000;
            xyz[(i * 3) + 2] = MathF.Round(z * 1000) / 1000;
            colours[i] = PackedRgb.PackRgba((byte)(u * 100), (byte)(v * 100), (byte)(z * 100), 255);
        }

        return new PointCloud(xyz, points, 1, [rgb]);
    }
}
