using System.Diagnostics;
using System.Globalization;
using GeoEdge.Geometry;
using GeoEdge.Geometry.Filters;
using GeoEdge.Geometry.Graphs;
using GeoEdge.Geometry.IO;
using GeoEdge.Geometry.Sampling;

namespace GeoEdge.Benchmarks.Comparison;

/// <summary>The GeoEdge side of bench/compare_geometry.py: times one geometry operation per command.</summary>
/// <remarks>
/// <c>time serve</c> reads commands on stdin and answers each with one line, so the script can run
/// GeoEdge, Open3D and SciPy in turn, round by round, and load from other processes hits all alike:
/// <c>load PATH.npy</c> (float32 [N,3]) → <c>ok N</c>; <c>knn K</c>, <c>radius R MAX</c>,
/// <c>fps COUNT</c>, <c>grid SIZE</c>, <c>sor MEAN_K STD_MUL</c>, <c>ror RADIUS MIN</c>,
/// <c>read PATH</c> → <c>MILLISECONDS RESULT_SIZE</c>; <c>quit</c>. Every operation does the whole
/// job from the loaded positions (index build included), as the reference tools do.
/// </remarks>
internal static class GeometryTimer
{
    public static int Run(string[] args)
    {
        if (args.Length != 1 || args[0] != "serve")
        {
            Console.Error.WriteLine("usage: GeoEdge.Benchmarks time serve   (commands on stdin; see bench/compare_geometry.py)");
            return 2;
        }

        PointCloud? cloud = null;
        while (Console.ReadLine() is { } line)
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            if (words[0] == "quit")
            {
                break;
            }

            if (words[0] == "load")
            {
                cloud = Load(words[1]);
                Console.WriteLine(FormattableString.Invariant($"ok {cloud.Count}"));
                continue;
            }

            long start = Stopwatch.GetTimestamp();
            long size = Execute(cloud, words);
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            Console.WriteLine(FormattableString.Invariant($"{ms:F3} {size}"));
        }

        return 0;
    }

    private static long Execute(PointCloud? cloud, string[] w)
    {
        double P(int i) => double.Parse(w[i], CultureInfo.InvariantCulture);
        PointCloud Cloud() => cloud ?? throw new InvalidOperationException("no cloud loaded");
        return w[0] switch
        {
            "knn" => KnnGraph.Build(Cloud(), (int)P(1)).EdgeCount,
            "radius" => RadiusGraph.Build(Cloud(), (float)P(1), maxNumNeighbors: (int)P(2)).EdgeCount,
            "fps" => FarthestPointSampling.Sample(Cloud(), (int)P(1), randomStart: false).Length,
            "grid" => GridSampling.Apply(Cloud(), (float)P(1)).Count,
            "sor" => StatisticalOutlierRemoval.Apply(Cloud(), (int)P(1), P(2)).Count,
            "ror" => RadiusOutlierRemoval.Apply(Cloud(), P(1), (int)P(2)).Count,
            "read" => PointCloudReader.Read(w[1]).Cloud.Count,
            _ => throw new ArgumentException($"unknown command '{w[0]}'"),
        };
    }

    private static PointCloud Load(string path)
    {
        NpyArray array = NpyFile.Read(path);
        if (array.DType != NpyDType.Float32 || array.Shape.Length != 2 || array.Shape[1] != 3)
        {
            throw new ArgumentException($"{path}: expected float32 [N,3]");
        }

        return new PointCloud(array.AsSpan<float>().ToArray());
    }
}
