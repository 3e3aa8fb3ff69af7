using GeoEdge.Host.Fleet;
using GeoEdge.Inference.Pipelines;

namespace GeoEdge.FleetSimulator;

/// <summary>Stands in for the devices' pipelines: once a second it records, for every running device, the inferences
/// its rate calls for into that device's open metrics window (the real <see cref="WindowCounters"/>), each with a latency
/// and a flagged-sensor count drawn from the recorded <see cref="Workload"/>.</summary>
internal sealed class WorkloadDriver(Workload workload, int seed)
{
    private readonly Random _random = new(seed);
    private readonly double[] _latencyCdf = Cdf(workload.LatencyCounts);
    private readonly double[] _flaggedCdf = Cdf(workload.AnomalousSensorCounts);
    private readonly double _rejectShare = Share(workload);
    private readonly RejectionReason[] _reasons = Reasons(workload);
    private readonly Dictionary<(int Bucket, int Flagged), PipelineResult<SensorWindowScores>> _results = [];

    /// <summary>Feeds <paramref name="devices"/> every second until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(IReadOnlyList<SimulatedDevice> devices, CancellationToken cancellationToken)
    {
        double[] carry = new double[devices.Count];
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        DateTimeOffset last = DateTimeOffset.UtcNow;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                DateTimeOffset now = DateTimeOffset.UtcNow;
                double seconds = (now - last).TotalSeconds;
                last = now;
                for (int i = 0; i < devices.Count; i++)
                {
                    if (devices[i].Counters is not { } counters)
                    {
                        continue; // not enrolled yet: its pipelines have not started
                    }

                    carry[i] += workload.RatePerSecond * seconds;
                    int n = (int)carry[i];
                    carry[i] -= n;
                    Feed(counters, n, devices[i]);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over: the devices close their last windows themselves.
        }
    }

    private void Feed(WindowCounters counters, int n, SimulatedDevice device)
    {
        for (int k = 0; k < n; k++)
        {
            if (_reasons.Length > 0 && _random.NextDouble() < _rejectShare)
            {
                counters.RecordRejection(_reasons[_random.Next(_reasons.Length)]);
                device.CountRejection();
                continue;
            }

            counters.Record(Result(Draw(_latencyCdf), Draw(_flaggedCdf)));
            device.CountInference();
        }
    }

    private int Draw(double[] cdf)
    {
        double u = _random.NextDouble();
        int i = Array.BinarySearch(cdf, u);
        return Math.Min(i < 0 ? ~i : i, cdf.Length - 1);
    }

    /// <summary>One result object per (latency bucket, flagged count): the counters read only its timing and flags.</summary>
    private PipelineResult<SensorWindowScores> Result(int bucket, int flagged)
    {
        if (_results.TryGetValue((bucket, flagged), out PipelineResult<SensorWindowScores>? cached))
        {
            return cached;
        }

        IReadOnlyList<double> bounds = workload.LatencyBoundsMs;
        double ms = bucket < bounds.Count ? (bounds[bucket] + (bucket == 0 ? 0 : bounds[bucket - 1])) / 2 : bounds[^1] * 2;
        int sensors = workload.AnomalousSensorCounts.Count - 1;
        var scores = new SensorScore[sensors];
        for (int s = 0; s < sensors; s++)
        {
            scores[s] = new SensorScore(s, $"s{s}", s < flagged ? 1f : -1f, 0f, s < flagged, 0, SensorImputation.None, 0);
        }

        var result = PipelineResult<SensorWindowScores>.Success(new SensorWindowScores(DateTimeOffset.UnixEpoch, scores, new SensorTimings(0, 0, ms * 1000, 0)));
        _results[(bucket, flagged)] = result;
        return result;
    }

    private static double[] Cdf(IReadOnlyList<long> counts)
    {
        double total = 0;
        foreach (long c in counts)
        {
            total += c;
        }

        double[] cdf = new double[counts.Count];
        double running = 0;
        for (int i = 0; i < counts.Count; i++)
        {
            running += counts[i];
            cdf[i] = total > 0 ? running / total : 1;
        }

        return cdf;
    }

    private static double Share(Workload workload)
    {
        long rejected = 0;
        foreach (long n in workload.Rejections.Values)
        {
            rejected += n;
        }

        return rejected + workload.Inferences == 0 ? 0 : (double)rejected / (rejected + workload.Inferences);
    }

    private static RejectionReason[] Reasons(Workload workload)
    {
        var reasons = new List<RejectionReason>();
        foreach ((string name, long n) in workload.Rejections)
        {
            if (n > 0 && Enum.TryParse(name, out RejectionReason reason))
            {
                reasons.Add(reason);
            }
        }

        return [.. reasons];
    }
}
