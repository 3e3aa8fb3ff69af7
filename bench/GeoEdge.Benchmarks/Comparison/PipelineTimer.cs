using System.Diagnostics;
using System.Globalization;
using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Runtime;

namespace GeoEdge.Benchmarks.Comparison;

/// <summary>The GeoEdge side of bench/compare_torch.py: both shipped pipelines, end to end, one request per command.</summary>
/// <remarks>
/// <c>pipeline serve MODELS_DIR THREADS</c> opens models/shapes-dgcnn/bundle and models/sensor-stgnn/bundle (dev key),
/// builds both pipelines with THREADS intra-op and preprocessing threads and one buffer set, and answers
/// <c>loaded SHAPES_MS SENSOR_MS RSS_KB</c> (bundle open + session load with its warm-up runs; VmRSS with both loaded).
/// Then, one line per command on stdin, so the script can interleave it with PyTorch round by round:
/// <c>clouds PATH.npy</c> (float32 [M,N,3] raw clouds) → <c>ok M</c>; <c>windows PATH.npy</c> (float32 [M,22,64] raw,
/// NaN = missing) → <c>ok M</c>; <c>classify I</c> → <c>MICROSECONDS LABEL_INDEX</c>; <c>score I START_S</c> →
/// <c>MICROSECONDS SCORE,SCORE,...</c>; <c>rss</c> → <c>KB</c>; <c>quit</c>. The time covers the whole pipeline call
/// (guards, sampling, NormalizeScale, kNN or window encoding, the model, postprocessing), input copy included.
/// </remarks>
internal static class PipelineTimer
{
    // The sensor recipe counts seconds from 2024-01-01T00:00 local time (see SensorReference in the tests).
    private static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static int Run(string[] args)
    {
        if (args.Length != 3 || args[0] != "serve" || !int.TryParse(args[2], CultureInfo.InvariantCulture, out int threads) || threads < 1)
        {
            Console.Error.WriteLine("usage: GeoEdge.Benchmarks pipeline serve MODELS_DIR THREADS   (commands on stdin; see bench/compare_torch.py)");
            return 2;
        }

        string models = args[1];
        TrustedKeys keys = TrustedKeys.FromPemFiles(Path.Combine(models, "dev-keys", "geoedge-dev.pub.pem"));
        var session = new ModelSessionOptions { IntraOpThreads = threads, MaxConcurrency = 1 };

        long t0 = Stopwatch.GetTimestamp();
        using ModelBundle shapesBundle = ModelBundle.Open(Path.Combine(models, "shapes-dgcnn", "bundle"), keys);
        using var shapes = new PointCloudClassification(shapesBundle, new PointCloudClassificationOptions { Session = session, MaxDegreeOfParallelism = threads });
        double shapesMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        long t1 = Stopwatch.GetTimestamp();
        using ModelBundle sensorBundle = ModelBundle.Open(Path.Combine(models, "sensor-stgnn", "bundle"), keys);
        using var sensor = new SensorGraphAnomaly(sensorBundle, new SensorGraphAnomalyOptions { Session = session });
        double sensorMs = Stopwatch.GetElapsedTime(t1).TotalMilliseconds;
        Console.WriteLine(FormattableString.Invariant($"loaded {shapesMs:F1} {sensorMs:F1} {RssKb()}"));

        float[][] clouds = [];
        float[][] windows = [];
        while (Console.ReadLine() is { } line)
        {
            string[] w = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (w.Length == 0)
            {
                continue;
            }

            string answer = w[0] switch
            {
                "quit" => "",
                "clouds" => Ok(clouds = Rows(w[1], 2)),
                "windows" => Ok(windows = Rows(w[1], 2)),
                "classify" => Classify(shapes, clouds[Index(w[1])]),
                "score" => Score(sensor, windows[Index(w[1])], Epoch.AddSeconds(long.Parse(w[2], CultureInfo.InvariantCulture))),
                "rss" => RssKb().ToString(CultureInfo.InvariantCulture),
                _ => throw new ArgumentException($"unknown command '{w[0]}'"),
            };
            if (w[0] == "quit")
            {
                break;
            }

            Console.WriteLine(answer);
        }

        return 0;
    }

    private static string Classify(PointCloudClassification pipeline, float[] raw)
    {
        // The pipeline takes the array without copying; give it a fresh one so every run starts from the raw cloud.
        float[] positions = (float[])raw.Clone();
        long start = Stopwatch.GetTimestamp();
        PipelineResult<CloudClassification> result = pipeline.Classify(positions);
        double us = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        int label = result.Value is { } c ? c.Label : -1;
        return FormattableString.Invariant($"{us:F1} {label}");
    }

    private static string Score(SensorGraphAnomaly pipeline, float[] raw, DateTimeOffset windowStart)
    {
        long start = Stopwatch.GetTimestamp();
        PipelineResult<SensorWindowScores> result = pipeline.ScoreWindow(raw, windowStart);
        double us = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        if (result.Value is not { } scores)
        {
            return FormattableString.Invariant($"{us:F1} rejected");
        }

        var text = new string[scores.Sensors.Count];
        for (int s = 0; s < text.Length; s++)
        {
            text[s] = scores.Sensors[s].Score.ToString("R", CultureInfo.InvariantCulture);
        }

        return FormattableString.Invariant($"{us:F1} {string.Join(',', text)}");
    }

    // Splits a float32 npy array into its first-axis rows; dims is the rank of one row.
    private static float[][] Rows(string path, int dims)
    {
        NpyArray array = NpyFile.Read(path);
        if (array.DType != NpyDType.Float32 || array.Shape.Length != dims + 1)
        {
            throw new ArgumentException($"{path}: expected float32 with {dims + 1} dimensions");
        }

        float[] all = array.AsSpan<float>().ToArray();
        int rows = array.Shape[0];
        int size = all.Length / Math.Max(1, rows);
        var result = new float[rows][];
        for (int i = 0; i < rows; i++)
        {
            result[i] = all.AsSpan(i * size, size).ToArray();
        }

        return result;
    }

    private static string Ok(float[][] rows) => FormattableString.Invariant($"ok {rows.Length}");

    private static int Index(string word) => int.Parse(word, CultureInfo.InvariantCulture);

    private static long RssKb()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
