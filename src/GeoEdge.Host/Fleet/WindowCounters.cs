using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Host.Fleet;

/// <summary>The open metrics window of one model version: counters and fixed histograms only, so recording a result
/// allocates nothing (Interlocked on arrays made here); <see cref="TakeSnapshot"/> reads and zeroes them, and takes the window's drift score.</summary>
/// <remarks>Counters are taken one by one, so a result recorded during a close may split across two windows; each count
/// still lands in exactly one window. A sensor-graph version's counters are made with its sensor names (in tensor order):
/// the snapshot's anomalies say per sensor in how many scored windows it was flagged, and under
/// <see cref="AnomalousWindowsKey"/> how many windows flagged at least one sensor.</remarks>
public sealed class WindowCounters(string model, string version, IReadOnlyList<string>? sensors = null)
{
    /// <summary>The anomalies key of the windows with at least one flagged sensor (the other keys are sensor names).</summary>
    public const string AnomalousWindowsKey = "windows";

    /// <summary>Upper bounds (ms) of the latency buckets; the last bucket is +Inf.</summary>
    public static readonly double[] LatencyBoundsMs = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000];

    private static readonly RejectionReason[] Reasons = Enum.GetValues<RejectionReason>();

    private readonly long[] _rejections = new long[Reasons.Length];
    private readonly long[] _confidence = new long[10];
    private readonly long[] _latency = new long[LatencyBoundsMs.Length + 1];
    private readonly string[] _sensors = sensors is null ? [] : [.. sensors];
    private readonly long[] _flagged = new long[sensors?.Count ?? 0];
    private long _inferences;
    private long _errors;
    private long _ood;
    private long _anomalousWindows;
    private DriftMonitor? _drift;

    public string Model { get; } = model;

    public string Version { get; } = version;

    /// <summary>The drift monitor of the pipeline object running this version (the worker attaches it on each version lookup);
    /// each snapshot takes its window score. Null: the bundle has no drift reference.</summary>
    public DriftMonitor? Drift
    {
        get => Volatile.Read(ref _drift);
        set => Volatile.Write(ref _drift, value);
    }

    public void Record(PipelineResult<CloudClassification> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Value is not { } value)
        {
            RecordRejection(result.Reason);
            return;
        }

        Interlocked.Increment(ref _inferences);
        Interlocked.Increment(ref _confidence[ConfidenceBin(value.Confidence)]);
        Interlocked.Increment(ref _latency[LatencyBucket(value.Timings.TotalUs / 1000)]);
        if (value.Ood.IsOutOfDistribution)
        {
            Interlocked.Increment(ref _ood);
        }
    }

    public void Record(PipelineResult<SensorWindowScores> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Value is not { } value)
        {
            RecordRejection(result.Reason);
            return;
        }

        Interlocked.Increment(ref _inferences);
        Interlocked.Increment(ref _latency[LatencyBucket(value.Timings.TotalUs / 1000)]);
        bool any = false;
        IReadOnlyList<SensorScore> scores = value.Sensors;
        for (int i = 0; i < scores.Count; i++) // indexed, not foreach: an interface enumerator would allocate per window
        {
            SensorScore score = scores[i];
            if (score.IsAnomalous)
            {
                any = true;
                if ((uint)score.Index < (uint)_flagged.Length)
                {
                    Interlocked.Increment(ref _flagged[score.Index]);
                }
            }
        }

        if (any)
        {
            Interlocked.Increment(ref _anomalousWindows);
        }

        if (value.Ood is { IsOutOfDistribution: true })
        {
            Interlocked.Increment(ref _ood);
        }
    }

    public void RecordRejection(RejectionReason reason)
    {
        if (reason != RejectionReason.None && (uint)reason < (uint)_rejections.Length)
        {
            Interlocked.Increment(ref _rejections[(int)reason]);
        }
    }

    /// <summary>Counts an inference that threw, as an inference and as an error: the fleet server's error rate is
    /// errors / inferences, and it refuses a window with more errors than inferences.</summary>
    public void RecordError()
    {
        Interlocked.Increment(ref _inferences);
        Interlocked.Increment(ref _errors);
    }

    /// <summary>Reads and zeroes every counter; null when nothing happened in the window.</summary>
    public GeoEdge.Fleet.Contracts.MetricsWindow? TakeSnapshot(DateTimeOffset start, DateTimeOffset end)
    {
        long inferences = Interlocked.Exchange(ref _inferences, 0);
        long errors = Interlocked.Exchange(ref _errors, 0);
        long ood = Interlocked.Exchange(ref _ood, 0);
        long anomalousWindows = Interlocked.Exchange(ref _anomalousWindows, 0);
        long[] flagged = Take(_flagged);
        var rejections = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < _rejections.Length; i++)
        {
            long n = Interlocked.Exchange(ref _rejections[i], 0);
            if (n > 0)
            {
                rejections[Reasons[i].ToString()] = n;
            }
        }

        long[] confidence = Take(_confidence);
        long[] latency = Take(_latency);

        // Taken every close, so a window starts fresh even when this one is not reported; scored only over a window with inferences.
        double? drift = Drift?.TakeWindowScore();
        if (inferences == 0 && errors == 0 && rejections.Count == 0)
        {
            return null;
        }

        var anomalies = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < flagged.Length; i++)
        {
            if (flagged[i] > 0)
            {
                anomalies[_sensors[i]] = flagged[i];
            }
        }

        if (anomalousWindows > 0)
        {
            anomalies[AnomalousWindowsKey] = anomalousWindows;
        }

        return new GeoEdge.Fleet.Contracts.MetricsWindow(0, Model, Version, start, end, inferences, errors, rejections, ood, confidence, LatencyBoundsMs, latency, anomalies, inferences > 0 ? drift : null, 0);
    }

    internal static int ConfidenceBin(double confidence) => double.IsNaN(confidence) ? 0 : Math.Clamp((int)(confidence * 10), 0, 9);

    internal static int LatencyBucket(double ms)
    {
        for (int i = 0; i < LatencyBoundsMs.Length; i++)
        {
            if (ms <= LatencyBoundsMs[i])
            {
                return i;
            }
        }

        return LatencyBoundsMs.Length;
    }

    private static long[] Take(long[] counts)
    {
        long[] taken = new long[counts.Length];
        for (int i = 0; i < counts.Length; i++)
        {
            taken[i] = Interlocked.Exchange(ref counts[i], 0);
        }

        return taken;
    }
}
