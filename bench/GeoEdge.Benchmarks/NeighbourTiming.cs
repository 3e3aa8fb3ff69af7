using System.Diagnostics;
using System.Globalization;
using GeoEdge.Geometry;
using GeoEdge.Geometry.Filters;
using GeoEdge.Geometry.Graphs;
using GeoEdge.Geometry.Spatial;

namespace GeoEdge.Benchmarks;

/// <summary>
/// The GeoEdge side of bench/compare_neighbours_quick.py: times one operation per command, so the script
/// can interleave GeoEdge with Open3D and SciPy round by round on a shared, noisy machine.
/// </summary>
/// <remarks>
/// <c>time-neighbours serve</c> reads commands from stdin, one per line, and answers each with one line:
/// <c>load PATH.npy</c> → <c>ok N</c>; <c>knn K</c>, <c>radius R MAX</c>, <c>sor MEAN_K STD_MUL</c>,
/// <c>ror RADIUS MIN</c> → <c>MILLISECONDS RESULT_SIZE</c>; <c>quit</c>. <c>time-neighbours PATH.npy</c>
/// alone times every operation with defaults and prints medians. The kernel is the process default
/// (set GEOEDGE_SIMD to compare variants).
/// </remarks>
internal static class NeighbourTiming
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine($"GeoEdge neighbour timing: kernel {SimdSelection.Default}, {Environment.ProcessorCount} threads");
        if (args.Length >= 2 && args[1] == "serve")
        {
            Serve();
            return 0;
        }

        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: time-neighbours serve | time-neighbours PATH.npy");
            return 2;
        }

        var cloud = new PointCloud(NpyFile.ReadPositions(args[1]));
        foreach (string command in new[] { "knn 16", "radius 0.05 32", "sor 20 2", "ror 0.05 16" })
        {
            var times = new List<double>();
            string size = string.Empty;
            for (int round = 0; round < 12; round++)
            {
                string[] answer = Execute(cloud, command.Split(' ')).Split(' ');
                times.Add(double.Parse(answer[0], CultureInfo.InvariantCulture));
                size = answer[1];
            }

            times.Sort();
            Console.WriteLine(FormattableString.Invariant($"{command}: n={cloud.Count} median {times[times.Count / 2]:F2} ms (result {size})"));
        }

        return 0;
    }

    private static void Serve()
    {
        PointCloud? cloud = null;
        while (Console.ReadLine() is { } line)
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || parts[0] == "quit")
            {
                break;
            }

            if (parts[0] == "load")
            {
                cloud = new PointCloud(NpyFile.ReadPositions(parts[1]));
                Console.WriteLine($"ok {cloud.Count}");
            }
            else
            {
                Console.WriteLine(Execute(cloud ?? throw new InvalidOperationException("load a cloud first"), parts));
            }

            Console.Out.Flush();
        }
    }

    private static string Execute(PointCloud cloud, string[] command)
    {
        var watch = Stopwatch.StartNew();
        long size = command[0] switch
        {
            "knn" => KnnGraph.Build(cloud, Int(command[1])).EdgeCount,
            "radius" => RadiusGraph.Build(cloud, (float)Real(command[1]), maxNumNeighbors: Int(command[2])).EdgeCount,
            "sor" => StatisticalOutlierRemoval.Inliers(cloud, Int(command[1]), Real(command[2])).Length,
            "ror" => RadiusOutlierRemoval.Inliers(cloud, Real(command[1]), Int(command[2])).Length,
            _ => throw new ArgumentException($"unknown command '{command[0]}'"),
        };
        return FormattableString.Invariant($"{watch.Elapsed.TotalMilliseconds:F3} {size}");
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static double Real(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
