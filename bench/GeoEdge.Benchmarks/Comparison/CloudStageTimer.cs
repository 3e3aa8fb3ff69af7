using System.Globalization;
using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Benchmarks.Comparison;

/// <summary>Where the device pipeline's time goes per point cloud: PointCloudClassification's own stage timings for several bundles, interleaved cloud by cloud.</summary>
/// <remarks>
/// <c>cloud-stages PUB.pem TEST.npz ROUNDS BUNDLE...</c>: every bundle classifies every raw cloud of TEST.npz ('pos'
/// [M,N,3]) in turn, 1 intra-op thread and 1 preprocessing thread, ROUNDS rounds after one warm-up round; prints per
/// bundle the median of each stage (guards, SOR, sampling, NormalizeScale, kNN, model run, postprocess with the OOD
/// scores) and of the total, in microseconds, and each bundle's total against the first bundle's (median over rounds of
/// the per-round median ratio). Run it without `nice` when other jobs are niced: the device's process is not.
/// </remarks>
internal static class CloudStageTimer
{
    public static int Run(string[] args)
    {
        if (args.Length < 4 || !int.TryParse(args[2], CultureInfo.InvariantCulture, out int rounds) || rounds < 1)
        {
            Console.Error.WriteLine("usage: GeoEdge.Benchmarks cloud-stages PUB.pem TEST.npz ROUNDS BUNDLE...");
            return 2;
        }

        TrustedKeys keys = TrustedKeys.FromPemFiles(args[0]);
        NpyArray pos = NpzFile.Read(args[1])["pos"];
        float[] all = pos.AsSpan<float>().ToArray();
        int clouds = pos.Shape[0];
        int floats = pos.Shape[1] * 3;
        string[] names = args[3..];
        var bundles = names.Select(n => ModelBundle.Open(n, keys)).ToArray();
        var pipelines = bundles.Select(b => new PointCloudClassification(b, new PointCloudClassificationOptions
        {
            Session = new() { MaxConcurrency = 1, IntraOpThreads = 1 },
            MaxDegreeOfParallelism = 1,
        })).ToArray();
        var timings = names.Select(_ => new List<PointCloudTimings>[rounds]).ToArray();
        for (int round = -1; round < rounds; round++)
        {
            for (int p = 0; p < pipelines.Length && round >= 0; p++)
            {
                timings[p][round] = new List<PointCloudTimings>(clouds);
            }

            for (int c = 0; c < clouds; c++)
            {
                float[] cloud = all.AsSpan(c * floats, floats).ToArray();
                for (int p = 0; p < pipelines.Length; p++)
                {
                    PointCloudTimings t = pipelines[p].Classify((float[])cloud.Clone()).Value!.Timings;
                    if (round >= 0)
                    {
                        timings[p][round].Add(t);
                    }
                }
            }
        }

        for (int p = 0; p < pipelines.Length; p++)
        {
            PointCloudTimings[] t = [.. timings[p].SelectMany(static r => r)];
            double ratio = Median([.. Enumerable.Range(0, rounds).Select(r => Median([.. timings[0][r].Select(static x => x.TotalUs)]) / Median([.. timings[p][r].Select(static x => x.TotalUs)]))]);
            Console.WriteLine(FormattableString.Invariant(
                $"{names[p]}: guards {M(t, static x => x.ValidateUs):F0}  sor {M(t, static x => x.OutlierRemovalUs):F0}  sampling {M(t, static x => x.SamplingUs):F0}  normalize {M(t, static x => x.NormalizeUs):F0}  knn {M(t, static x => x.KnnUs):F0}  run {M(t, static x => x.RunUs):F0}  postprocess {M(t, static x => x.PostprocessUs):F0}  total {M(t, static x => x.TotalUs):F0} us; first / this {ratio:F2}x"));
        }

        foreach (PointCloudClassification pipeline in pipelines)
        {
            pipeline.Dispose();
        }

        foreach (ModelBundle bundle in bundles)
        {
            bundle.Dispose();
        }

        return 0;
    }

    private static double M(PointCloudTimings[] t, Func<PointCloudTimings, double> stage) => Median([.. t.Select(stage)]);

    private static double Median(double[] values)
    {
        Array.Sort(values);
        return values[values.Length / 2];
    }
}
