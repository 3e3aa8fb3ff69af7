using System.Globalization;
using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Runtime;

namespace GeoEdge.Benchmarks.Comparison;

/// <summary>sensor-stgnn variants timed end to end through the device pipeline, interleaved window by window.</summary>
/// <remarks>
/// <c>sensor-variants PUB.pem TEST.npz ROUNDS NAME=BUNDLE...</c>: one <see cref="SensorGraphAnomaly"/> per bundle
/// (1 intra-op thread, as evaluate), then ROUNDS passes over the split's windows; each window is scored by every
/// variant in turn (the order rotates per window), so a load change hits every variant alike — on a shared machine
/// this is what makes the ratios meaningful. Per round and variant: p50 of the run and of the end-to-end time (window
/// copy + range check + encoding + run + thresholds + drift features, the pipeline's own timings); then per variant the
/// medians over rounds and the ratio FIRST ÷ variant as the median of the per-round ratios with their min-max.
/// </remarks>
internal static class SensorVariantTimer
{
    private static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static int Run(string[] args)
    {
        if (args.Length < 4 || !int.TryParse(args[2], CultureInfo.InvariantCulture, out int rounds) || rounds < 1)
        {
            Console.Error.WriteLine("usage: GeoEdge.Benchmarks sensor-variants PUB.pem TEST.npz ROUNDS NAME=BUNDLE...");
            return 2;
        }

        TrustedKeys keys = TrustedKeys.FromPemFiles(args[0]);
        IReadOnlyDictionary<string, NpyArray> npz = NpzFile.Read(args[1]);
        NpyArray raw = npz["raw"];
        NpyArray mask = npz["mask"];
        long[] start = npz["start_s"].AsSpan<long>().ToArray();
        int m = raw.Shape[0], size = raw.Shape[1] * raw.Shape[2];
        float[] windows = raw.AsSpan<float>().ToArray();
        ReadOnlySpan<byte> missing = mask.AsSpan<byte>();
        for (int i = 0; i < windows.Length; i++)
        {
            windows[i] = missing[i] != 0 ? float.NaN : windows[i];
        }

        string[] names = args[3..].Select(static a => a[..a.IndexOf('=', StringComparison.Ordinal)]).ToArray();
        var bundles = args[3..].Select(a => ModelBundle.Open(a[(a.IndexOf('=', StringComparison.Ordinal) + 1)..], keys)).ToArray();
        var options = new SensorGraphAnomalyOptions { Session = new ModelSessionOptions { IntraOpThreads = 1, MaxConcurrency = 1, WarmupRuns = 3 } };
        var pipelines = bundles.Select(b => new SensorGraphAnomaly(b, options)).ToArray();
        int v = pipelines.Length;
        var runP50 = new double[rounds, v];
        var totalP50 = new double[rounds, v];
        for (int r = -1; r < rounds; r++) // round -1 warms every code path (JIT tiers) and is not reported
        {
            var run = new double[v][];
            var total = new double[v][];
            for (int k = 0; k < v; k++)
            {
                (run[k], total[k]) = (new double[m], new double[m]);
            }

            for (int w = 0; w < m; w++)
            {
                for (int j = 0; j < v; j++)
                {
                    int k = (w + j) % v;
                    SensorWindowScores s = pipelines[k].ScoreWindow(windows.AsSpan(w * size, size), Epoch.AddSeconds(start[w])).Value
                        ?? throw new InvalidOperationException($"window {w} rejected by {names[k]}");
                    (run[k][w], total[k][w]) = (s.Timings.RunUs, s.Timings.TotalUs);
                }
            }

            if (r < 0)
            {
                continue;
            }

            for (int k = 0; k < v; k++)
            {
                (runP50[r, k], totalP50[r, k]) = (Median(run[k]), Median(total[k]));
            }

            int round = r;
            string cells = string.Join("  ", Enumerable.Range(0, v).Select(k => string.Create(CultureInfo.InvariantCulture, $"{names[k]} {runP50[round, k]:F0}/{totalP50[round, k]:F0}")));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {r + 1}: {cells} us (run/end-to-end p50)"));
        }

        for (int k = 0; k < v; k++)
        {
            double[] runRatio = Enumerable.Range(0, rounds).Select(r => runP50[r, 0] / runP50[r, k]).ToArray();
            double[] totalRatio = Enumerable.Range(0, rounds).Select(r => totalP50[r, 0] / totalP50[r, k]).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{names[k]}: run p50 {Median(Column(runP50, k)):F0} us, end to end p50 {Median(Column(totalP50, k)):F0} us; {names[0]} / {names[k]}: run {Median(runRatio):F2}x ({runRatio.Min():F2}-{runRatio.Max():F2}), end to end {Median(totalRatio):F2}x ({totalRatio.Min():F2}-{totalRatio.Max():F2})"));
        }

        foreach (SensorGraphAnomaly p in pipelines)
        {
            p.Dispose();
        }

        foreach (ModelBundle b in bundles)
        {
            b.Dispose();
        }

        return 0;
    }

    private static double[] Column(double[,] a, int k) => Enumerable.Range(0, a.GetLength(0)).Select(r => a[r, k]).ToArray();

    private static double Median(double[] values)
    {
        double[] sorted = [.. values];
        Array.Sort(sorted);
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
