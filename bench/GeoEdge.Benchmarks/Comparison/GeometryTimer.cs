using System.Diagnostics;
using System.Globalization;
using GeoEdge.Geometry;
using GeoEdge.Geometry.Filters;
using GeoEdge.Geometry.Graphs;
using GeoEdge.Geometry.IO;
using GeoEdge.Geometry.Sampling;

namespace GeoEdge.Benchmarks.Comparison;

/// <summary>Times one geometry operation on a given file for bench/compare_geometry.py; prints one JSON line.</summary>
/// <remarks>
/// `GeoEdge.Benchmarks time OP INPUT [PARAM] [--repeat R]`. INPUT is a .npy [N,3] float32 array or a
/// PCD/PLY file. One untimed warm-up run (JIT, page cache), then R timed runs; the median is what
/// the comparison uses, the same statistic the Python side takes for Open3D and SciPy.
/// </remarks>
internal static class GeometryTimer
{
    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: time (knn K | radius R MAX | fps COUNT | grid SIZE | sor K STD | read) INPUT [--repeat R]");
            return 2;
        }

        string op = args[0];
        string input = args[1];
        int repeat = 5;
        int repeatAt = Array.IndexOf(args, "--repeat");
        if (repeatAt > 0)
        {
            repeat = int.Parse(args[repeatAt + 1], CultureInfo.InvariantCulture);
        }

        double P(int i) => double.Parse(args[2 + i], CultureInfo.InvariantCulture);
        PointCloud? cloud = op == "read" ? null : Load(input);
        Func<long> work = op switch
        {
            "knn" => () => KnnGraph.Build(cloud!, (int)P(0)).EdgeCount,
            "radius" => () => RadiusGraph.Build(cloud!, (float)P(0), maxNumNeighbors: (int)P(1)).EdgeCount,
            "fps" => () => FarthestPointSampling.Sample(cloud!, (int)P(0), randomStart: false).Length,
            "grid" => () => GridSampling.Apply(cloud!, (float)P(0)).Count,
            "sor" => () => StatisticalOutlierRemoval.Apply(cloud!, (int)P(0), P(1)).Count,
            "read" => () => PointCloudReader.Read(input).Cloud.Count,
            _ => throw new ArgumentException($"unknown op '{op}'"),
        };

        long result = work();
        double[] ms = new double[repeat];
        for (int r = 0; r < repeat; r++)
        {
            long start = Stopwatch.GetTimestamp();
            result = work();
            ms[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(ms);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"op\":\"{op}\",\"median_ms\":{ms[repeat / 2]:F3},\"min_ms\":{ms[0]:F3},\"result\":{result},\"threads\":{Environment.ProcessorCount}}}"));
        return 0;
    }

    private static PointCloud Load(string input)
    {
        if (!input.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            return PointCloudReader.Read(input).Cloud;
        }

        NpyArray array = NpyFile.Read(input);
        if (array.DType != NpyDType.Float32 || array.Shape.Length != 2 || array.Shape[1] != 3)
        {
            throw new ArgumentException($"{input}: expected float32 [N,3]");
        }

        return new PointCloud(array.AsSpan<float>().ToArray());
    }
}
