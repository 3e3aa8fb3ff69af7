using System.Buffers.Binary;
using System.Text;
using BenchmarkDotNet.Attributes;
using GeoEdge.Geometry;
using GeoEdge.Geometry.IO;

namespace GeoEdge.Benchmarks;

/// <summary>PlyReader.Read on generated 1M-point files: float xyz only, PCL's layout, Open3D's double layout, and ascii.</summary>
[MemoryDiagnoser]
public class PlyReadBenchmarks
{
    private const int Points = 1_000_000;
    private string _dir = string.Empty;
    private string _path = string.Empty;

    /// <summary>
    /// xyz: float x y z only (one block copy). pcl: float xyz, uchar rgb, float normals, curvature
    /// (strided copies). open3d: double xyz and normals, uchar rgb (converted). ascii: pcl's layout as text.
    /// </summary>
    [Params("xyz", "pcl", "open3d", "ascii")]
    public string Layout { get; set; } = "xyz";

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("geoedge-ply-bench-").FullName;
        _path = Path.Combine(_dir, Layout + ".ply");
        var rng = new Random(42);
        if (Layout == "open3d")
        {
            WriteOpen3dLayout(_path, rng);
            return;
        }

        float[] xyz = new float[Points * 3];
        for (int i = 0; i < xyz.Length; i++)
        {
            xyz[i] = (float)((rng.NextDouble() * 100) - 50);
        }

        var channels = new List<AttributeChannel>();
        if (Layout != "xyz")
        {
            foreach (string name in new[] { "red", "green", "blue" })
            {
                var c = new AttributeChannel(name, ScalarType.UInt8, 1, Points);
                rng.NextBytes(c.Bytes);
                channels.Add(c);
            }

            foreach (string name in new[] { "nx", "ny", "nz", "curvature" })
            {
                var c = new AttributeChannel(name, ScalarType.Float32, 1, Points);
                Span<float> v = c.AsSpan<float>();
                for (int i = 0; i < v.Length; i++)
                {
                    v[i] = rng.NextSingle();
                }

                channels.Add(c);
            }
        }

        var cloud = new PointCloud(xyz, Points, 1, channels);
        PlyWriter.Write(_path, cloud, Layout == "ascii" ? PointCloudEncoding.Ascii : PointCloudEncoding.BinaryLittleEndian);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark]
    public int Read() => PlyReader.Read(_path).Cloud.Count;

    /// <summary>What o3d.io.write_point_cloud writes: double x y z nx ny nz, uchar red green blue.</summary>
    private static void WriteOpen3dLayout(string path, Random rng)
    {
        string header = "ply\nformat binary_little_endian 1.0\ncomment Created by Open3D\n" +
            $"element vertex {Points}\nproperty double x\nproperty double y\nproperty double z\n" +
            "property double nx\nproperty double ny\nproperty double nz\n" +
            "property uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n";
        const int record = (6 * 8) + 3;
        byte[] data = new byte[Points * record];
        for (int i = 0; i < Points; i++)
        {
            Span<byte> r = data.AsSpan(i * record, record);
            for (int k = 0; k < 6; k++)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(r[(k * 8)..], (rng.NextDouble() * 100) - 50);
            }

            rng.NextBytes(r[48..]);
        }

        using var stream = File.Create(path);
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(data);
    }
}
