using System.Text.Json;
using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Runtime;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>Evaluates a sensor-graph anomaly bundle on a recorded split through the device pipeline (SensorGraphAnomaly, its manifest thresholds): detection and false-alarm rates per anomaly kind, latency.</summary>
/// <remarks>The split holds raw [M,S,T] float32 (physical units, NaN = missing), optional mask [M,S,T] uint8 (1 = missing,
/// applied as NaN), kind [M,S] int64 (0 = normal) and start_s [M] int64: seconds since the recipe's epoch,
/// 2024-01-01T00:00 local (written here as UTC, the offset the time-of-day features are computed in).</remarks>
internal static class SensorEvaluation
{
    public static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static SensorEvaluationReport Run(ModelBundle bundle, string dataPath)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        IReadOnlyDictionary<string, NpyArray> d = NpzFile.Read(dataPath);
        NpyArray raw = Array(d, dataPath, "raw", NpyDType.Float32, 3);
        NpyArray kind = Array(d, dataPath, "kind", NpyDType.Int64, 2);
        NpyArray start = Array(d, dataPath, "start_s", NpyDType.Int64, 1);
        (int m, int s, int t) = (raw.Shape[0], raw.Shape[1], raw.Shape[2]);
        if (kind.Shape[0] != m || kind.Shape[1] != s || start.Shape[0] != m)
        {
            throw new FormatException($"{dataPath}: kind [{string.Join(",", kind.Shape)}] and start_s [{start.Shape[0]}] do not match raw [{m},{s},{t}]");
        }

        float[] values = raw.AsSpan<float>().ToArray();
        if (d.TryGetValue("mask", out NpyArray? mask))
        {
            ApplyMask(mask, values, raw.Shape, dataPath);
        }

        var options = new SensorGraphAnomalyOptions { Session = new ModelSessionOptions { IntraOpThreads = 1, MaxConcurrency = 1, WarmupRuns = 3 } };
        using var pipeline = new SensorGraphAnomaly(bundle, options);
        if (pipeline.SensorCount != s || pipeline.Window != t)
        {
            throw new FormatException($"{dataPath}: windows of {s} sensors x {t} samples; the model takes {pipeline.SensorCount} x {pipeline.Window}");
        }

        var flagged = new bool[m * s];
        var runUs = new double[m];
        var totalUs = new double[m];
        ReadOnlySpan<long> starts = start.AsSpan<long>();
        for (int w = 0; w < m; w++)
        {
            PipelineResult<SensorWindowScores> r = pipeline.ScoreWindow(values.AsSpan(w * s * t, s * t), Epoch.AddSeconds(starts[w]));
            SensorWindowScores scores = r.Value ?? throw new FormatException($"{dataPath}: window {w} rejected by the pipeline: {r.Rejection}");
            foreach (SensorScore score in scores.Sensors)
            {
                flagged[(w * s) + score.Index] = score.IsAnomalous;
            }

            (runUs[w], totalUs[w]) = (scores.Timings.RunUs, scores.Timings.TotalUs);
        }

        List<KindRates> kinds = AnomalyTally.Count(kind.AsSpan<long>(), flagged, s, KindNames(bundle.Manifest, kind.AsSpan<long>()));
        int faulty = kinds.Sum(static k => k.Faulty);
        int normal = 0, alarms = 0;
        ReadOnlySpan<long> ks = kind.AsSpan<long>();
        for (int i = 0; i < ks.Length; i++)
        {
            normal += ks[i] == 0 ? 1 : 0;
            alarms += ks[i] == 0 && flagged[i] ? 1 : 0;
        }

        return new SensorEvaluationReport
        {
            Bundle = bundle.Manifest.Name,
            Version = bundle.Manifest.Version,
            ManifestSha256 = bundle.ManifestSha256,
            Data = Path.GetFileName(dataPath),
            Windows = m,
            SensorWindows = m * s,
            Faulty = faulty,
            Detected = kinds.Sum(static k => k.Detected),
            DetectionRate = faulty == 0 ? 0 : (double)kinds.Sum(static k => k.Detected) / faulty,
            Normal = normal,
            FalseAlarms = alarms,
            FalseAlarmRate = normal == 0 ? 0 : (double)alarms / normal,
            Kinds = [.. kinds.Select(static k => new KindRatesJson(k.Kind, k.Faulty, k.Detected, k.DetectionRate, k.Normal, k.FalseAlarms, k.FalseAlarmRate))],
            Latency = new LatencySummary(
                ClassifierEvaluation.Percentile(runUs, 0.5), ClassifierEvaluation.Percentile(runUs, 0.99),
                ClassifierEvaluation.Percentile(totalUs, 0.5), ClassifierEvaluation.Percentile(totalUs, 0.99), 1),
        };
    }

    /// <summary>The manifest dataset card's anomalyKinds, else "normal", "kind1", ... up to the largest kind in the split.</summary>
    private static List<string> KindNames(BundleManifest m, ReadOnlySpan<long> kind)
    {
        if (m.Dataset.Extensions?.TryGetValue("anomalyKinds", out JsonElement names) == true && names.ValueKind == JsonValueKind.Array)
        {
            return [.. names.EnumerateArray().Select(static e => e.GetString() ?? "?")];
        }

        long max = 0;
        foreach (long k in kind)
        {
            max = Math.Max(max, k);
        }

        return ["normal", .. Enumerable.Range(1, (int)max).Select(static k => $"kind{k}")];
    }

    private static void ApplyMask(NpyArray mask, float[] values, int[] shape, string path)
    {
        if (mask.DType != NpyDType.UInt8 || !mask.Shape.AsSpan().SequenceEqual(shape))
        {
            throw new FormatException($"{path}: 'mask' must be uint8 [{string.Join(",", shape)}] like raw");
        }

        ReadOnlySpan<byte> missing = mask.AsSpan<byte>();
        for (int i = 0; i < values.Length; i++)
        {
            if (missing[i] != 0)
            {
                values[i] = float.NaN;
            }
        }
    }

    private static NpyArray Array(IReadOnlyDictionary<string, NpyArray> d, string path, string name, NpyDType type, int rank) =>
        d.TryGetValue(name, out NpyArray? a) && a.DType == type && a.Shape.Length == rank
            ? a
            : throw new FormatException($"{path}: needs '{name}', {type} of rank {rank} (raw [M,S,T] float32, kind [M,S] int64, start_s [M] int64)");
}
