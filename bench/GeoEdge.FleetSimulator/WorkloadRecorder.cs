using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GeoEdge.Host.Fleet;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Runtime;

namespace GeoEdge.FleetSimulator;

/// <summary>Records <see cref="Workload"/>: the shipped sensor-stgnn pipeline (one thread, as on dev-x64) scores every
/// 64-sample window of the shipped recording a few times; each call's time and flagged sensors go into the histograms.</summary>
internal static class WorkloadRecorder
{
    public static Workload Record(string repositoryRoot, int passes, double ratePerSecond)
    {
        string models = Path.Combine(repositoryRoot, "models");
        TrustedKeys keys = TrustedKeys.FromPemFiles([Path.Combine(models, "dev-keys", "geoedge-dev.pub.pem")]);
        using ModelBundle bundle = ModelBundle.Open(Path.Combine(models, "sensor-stgnn", "bundle"), keys);
        using var pipeline = new SensorGraphAnomaly(bundle, new SensorGraphAnomalyOptions
        {
            Session = new ModelSessionOptions { IntraOpThreads = 1, InterOpThreads = 1, MaxConcurrency = 1 },
        });
        (DateTimeOffset[] times, float[][] columns) = ReadRecording(Path.Combine(models, "sensor-stgnn", "samples", "recording.csv"), pipeline);
        int window = pipeline.Window;
        int sensors = pipeline.SensorCount;
        double[] bounds = WindowCounters.LatencyBoundsMs;
        long[] latency = new long[bounds.Length + 1];
        long[] flagged = new long[sensors + 1];
        var rejections = new Dictionary<string, long>(StringComparer.Ordinal);
        long inferences = 0;
        float[] raw = new float[sensors * window];
        for (int pass = 0; pass < passes; pass++)
        {
            for (int start = 0; start + window <= times.Length; start++)
            {
                for (int s = 0; s < sensors; s++)
                {
                    Array.Copy(columns[s], start, raw, s * window, window);
                }

                long t0 = Stopwatch.GetTimestamp();
                PipelineResult<SensorWindowScores> result = pipeline.ScoreWindow(raw, times[start]);
                double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                if (result.Value is not { } scores)
                {
                    string reason = result.Reason.ToString();
                    rejections[reason] = rejections.GetValueOrDefault(reason) + 1;
                    continue;
                }

                inferences++;
                latency[Bucket(bounds, ms)]++;
                flagged[scores.AnomalousCount]++;
            }
        }

        string source = string.Create(CultureInfo.InvariantCulture,
            $"sensor-stgnn 1.0.0 ScoreWindow over every 64-sample window of models/sensor-stgnn/samples/recording.csv, {passes} passes, 1 intra-op thread, {Environment.ProcessorCount} cores, load average {LoadAverage.Read()}, {DateTimeOffset.UtcNow:yyyy-MM-dd}");
        return new Workload("sensor-stgnn", ratePerSecond, source, inferences, rejections, bounds, latency, flagged);
    }

    public static void Write(Workload workload, string path) =>
        File.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(workload, SimulatorJsonContext.Default.Workload));

    private static int Bucket(double[] bounds, double ms)
    {
        for (int i = 0; i < bounds.Length; i++)
        {
            if (ms <= bounds[i])
            {
                return i;
            }
        }

        return bounds.Length;
    }

    /// <summary>The recording's timestamps and one column per pipeline sensor (by the manifest's sensor names).</summary>
    private static (DateTimeOffset[] Times, float[][] Columns) ReadRecording(string path, SensorGraphAnomaly pipeline)
    {
        string[] lines = File.ReadAllLines(path);
        string[] header = lines[0].Split(',');
        int[] column = new int[pipeline.SensorCount];
        for (int s = 0; s < column.Length; s++)
        {
            column[s] = Array.IndexOf(header, pipeline.SensorName(s));
            if (column[s] < 0)
            {
                throw new InvalidDataException($"{path}: no column for sensor '{pipeline.SensorName(s)}'");
            }
        }

        var times = new DateTimeOffset[lines.Length - 1];
        float[][] columns = new float[column.Length][];
        for (int s = 0; s < column.Length; s++)
        {
            columns[s] = new float[times.Length];
        }

        for (int row = 1; row < lines.Length; row++)
        {
            string[] cells = lines[row].Split(',');
            times[row - 1] = DateTimeOffset.Parse(cells[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            for (int s = 0; s < column.Length; s++)
            {
                string cell = cells[column[s]];
                columns[s][row - 1] = cell.Length == 0 ? float.NaN : float.Parse(cell, CultureInfo.InvariantCulture);
            }
        }

        return (times, columns);
    }
}
