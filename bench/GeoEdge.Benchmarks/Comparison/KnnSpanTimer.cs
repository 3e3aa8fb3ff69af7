using System.Diagnostics;
using System.Globalization;
using GeoEdge.Geometry.Graphs;

namespace GeoEdge.Benchmarks.Comparison;

/// <summary>A quick A/B of the span kNN, KD tree vs dispatch, on the same clouds in one process: <c>knnspan ROUNDS K</c>.</summary>
/// <remarks>
/// Per case: the mean over its clouds of each cloud's best time over ROUNDS rounds (each cloud run by the two searches in
/// turn, so load drifts hit both), and whether the two matrices are equal on every cloud (checked in the first round).
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
            double[] bestTree = new double[clouds.Length], bestAuto = new double[clouds.Length];
            Array.Fill(bestTree, double.MaxValue);
            Array.Fill(bestAuto, double.MaxValue);
            bool same = true;
            SpanSearch used = SpanSearch.Auto;
            for (int round = 0; round < rounds; round++)
            {
                for (int c = 0; c < clouds.Length; c++)
                {
                    bestTree[c] = Math.Min(bestTree[c], Time(clouds[c], k, tree, workspace, SpanSearch.KdTree, out _));
                    bestAuto[c] = Math.Min(bestAuto[c], Time(clouds[c], k, grid, workspace, SpanSearch.Auto, out used));
                    same &= round > 0 || tree.AsSpan().SequenceEqual(grid);
                }
            }

            Console.WriteLine(FormattableString.Invariant(
                $"{name,-18} kd-tree {bestTree.Average(),8:F1}  auto({used}) {bestAuto.Average(),8:F1}  ratio {bestTree.Average() / bestAuto.Average(),5:F2}x  {(same ? "same" : "DIFFERENT")}"));
        }

        return 0;
    }

    private static double Time(float[] cloud, int k, long[] destination, NeighbourWorkspace workspace, SpanSearch search, out SpanSearch used)
    {
        long start = Stopwatch.GetTimestamp();
        used = KnnGraph.Neighbours(cloud, k, false, destination, workspace, search);
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }
}
