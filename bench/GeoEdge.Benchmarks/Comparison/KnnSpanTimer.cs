using System.Diagnostics;
using System.Globalization;
using GeoEdge.Geometry.Graphs;

namespace GeoEdge.Benchmarks.Comparison;

/// <summary>A quick A/B of the span kNN, KD tree vs dispatch, on the same clouds in one process: <c>knnspan ROUNDS K</c>.</summary>
/// <remarks>
/// Per case: the best over ROUNDS rounds of the mean time per cloud (each round runs every cloud of the case once,
/// the two searches alternating round by round so load drifts hit both), and whether the two matrices are equal.
/// Cases: the first 50 shapes-dgcnn test clouds (NormalizeScale'd), and seeded uniform and surface clouds of 256 to 4,096 points.
/// </remarks>
internal static class KnnSpanTimer
{
    public static int Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
        int k = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
        var cases = new List<(string Name, float[][] Clouds)> { ("shapes test x50", KnnSpanClouds.RealTestClouds(50)) };
        foreach (int n in new[] { 256, 1024, 4096 })
        {
            foreach (string kind in new[] { "uniform", "surface" })
            {
                cases.Add(($"{kind} {n}", [.. Enumerable.Range(0, 8).Select(s => BenchmarkClouds.Create(kind, n, s).Positions)]));
            }
        }

        Console.WriteLine(FormattableString.Invariant($"k={k}, best of {rounds} rounds, microseconds per cloud, one thread"));
        foreach ((string name, float[][] clouds) in cases)
        {
            var workspace = new NeighbourWorkspace();
            long[] tree = new long[clouds[0].Length / 3 * k], grid = new long[tree.Length];
            double bestTree = double.MaxValue, bestAuto = double.MaxValue;
            bool same = true;
            SpanSearch used = SpanSearch.Auto;
            for (int round = 0; round < rounds; round++)
            {
                bestTree = Math.Min(bestTree, Time(clouds, k, tree, workspace, SpanSearch.KdTree, out _));
                bestAuto = Math.Min(bestAuto, Time(clouds, k, grid, workspace, SpanSearch.Auto, out used));
                same &= tree.AsSpan().SequenceEqual(grid);
            }

            Console.WriteLine(FormattableString.Invariant(
                $"{name,-18} kd-tree {bestTree,8:F1}  auto({used}) {bestAuto,8:F1}  ratio {bestTree / bestAuto,5:F2}x  {(same ? "same" : "DIFFERENT")}"));
        }

        return 0;
    }

    private static double Time(float[][] clouds, int k, long[] destination, NeighbourWorkspace workspace, SpanSearch search, out SpanSearch used)
    {
        used = search;
        long start = Stopwatch.GetTimestamp();
        foreach (float[] cloud in clouds)
        {
            used = KnnGraph.Neighbours(cloud, k, false, destination, workspace, search);
        }

        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / clouds.Length;
    }
}
