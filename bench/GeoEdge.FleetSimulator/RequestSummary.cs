namespace GeoEdge.FleetSimulator;

/// <summary>Turns the <see cref="RequestLog"/> into per-kind <see cref="RequestStats"/> and download throughput.</summary>
internal static class RequestSummary
{
    /// <summary>Per kind, requests that started in [from, to): enroll over the enrollment phase, the rest over the steady phase.</summary>
    public static List<RequestStats> ByKind(IReadOnlyList<RequestSample> samples, (double From, double To) enrollment, (double From, double To) steady)
    {
        var stats = new List<RequestStats>();
        foreach (RequestKind kind in Enum.GetValues<RequestKind>())
        {
            (double from, double to) = kind == RequestKind.Enroll ? enrollment : steady;
            var latencies = new List<double>();
            int failed = 0;
            foreach (RequestSample s in samples)
            {
                if (s.Kind == kind && s.Start >= from && s.Start < to)
                {
                    latencies.Add(s.LatencyMs);
                    failed += s.Status is 0 or 429 or >= 500 ? 1 : 0;
                }
            }

            if (latencies.Count == 0)
            {
                continue;
            }

            latencies.Sort();
            stats.Add(new RequestStats(RequestKinds.Name(kind), latencies.Count, latencies.Count / Math.Max(to - from, 1e-9),
                Percentile.Of(latencies, 50), Percentile.Of(latencies, 99), latencies[^1], failed));
        }

        return stats;
    }

    /// <summary>Median per-download MB/s and all bytes over the span from the first request to the last byte.</summary>
    public static (double MedianMBps, double AggregateMBps) Downloads(IReadOnlyList<TransferSample> transfers)
    {
        if (transfers.Count == 0)
        {
            return (double.NaN, double.NaN);
        }

        var rates = new List<double>(transfers.Count);
        double first = double.MaxValue;
        double last = double.MinValue;
        long bytes = 0;
        foreach (TransferSample t in transfers)
        {
            rates.Add(t.Bytes / t.Seconds / 1e6);
            first = Math.Min(first, t.Start);
            last = Math.Max(last, t.Start + t.Seconds);
            bytes += t.Bytes;
        }

        rates.Sort();
        return (Percentile.Of(rates, 50), bytes / (last - first) / 1e6);
    }
}
