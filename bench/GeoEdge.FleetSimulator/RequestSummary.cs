namespace GeoEdge.FleetSimulator;

/// <summary>Turns the <see cref="RequestLog"/> into per-kind <see cref="RequestStats"/> and download throughput.</summary>
internal static class RequestSummary
{
    /// <summary>Per kind, requests that started in <paramref name="phase"/> (enroll: in <paramref name="enrollment"/>, when given).</summary>
    public static List<RequestStats> ByKind(IReadOnlyList<RequestSample> samples, (double From, double To)? enrollment, (double From, double To) phase)
    {
        var stats = new List<RequestStats>();
        foreach (RequestKind kind in Enum.GetValues<RequestKind>())
        {
            if (kind == RequestKind.Enroll && enrollment is null)
            {
                continue;
            }

            (double from, double to) = kind == RequestKind.Enroll ? enrollment!.Value : phase;
            var latencies = new List<double>();
            int failed = 0;
            foreach (RequestSample s in samples)
            {
                if (s.Kind == kind && s.Start >= from && s.Start < to)
                {
                    latencies.Add(s.LatencyMs);
                    failed += s.Failed ? 1 : 0;
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

    /// <summary>Devices the server kept up with over [from, to): every desired-state poll answered within one poll
    /// interval (so the device's next poll went out on time) and no request without an answer, 5xx or 429.</summary>
    public static bool[] KeptUp(IReadOnlyList<RequestSample> samples, int devices, (double From, double To) steady, double pollSeconds)
    {
        bool[] polled = new bool[devices];
        bool[] behind = new bool[devices];
        foreach (RequestSample s in samples)
        {
            if (s.Start < steady.From || s.Start >= steady.To)
            {
                continue;
            }

            if (s.Kind == RequestKind.Desired)
            {
                polled[s.Device] = true;
                behind[s.Device] |= s.LatencyMs > pollSeconds * 1000;
            }

            behind[s.Device] |= s.Failed;
        }

        bool[] kept = new bool[devices];
        for (int i = 0; i < devices; i++)
        {
            kept[i] = polled[i] && !behind[i];
        }

        return kept;
    }

    /// <summary>Median per-download MB/s, and all bytes over the time at least one download was in flight (idle gaps
    /// between the devices' polls left out).</summary>
    public static (double MedianMBps, double AggregateMBps) Downloads(IReadOnlyList<TransferSample> transfers)
    {
        if (transfers.Count == 0)
        {
            return (double.NaN, double.NaN);
        }

        var rates = new List<double>(transfers.Count);
        var spans = new List<(double Start, double End)>(transfers.Count);
        long bytes = 0;
        foreach (TransferSample t in transfers)
        {
            rates.Add(t.Bytes / t.Seconds / 1e6);
            spans.Add((t.Start, t.Start + t.Seconds));
            bytes += t.Bytes;
        }

        rates.Sort();
        spans.Sort();
        double busy = 0;
        (double start, double end) = spans[0];
        foreach ((double s, double e) in spans)
        {
            if (s > end)
            {
                busy += end - start;
                (start, end) = (s, e);
            }
            else
            {
                end = Math.Max(end, e);
            }
        }

        busy += end - start;
        return (Percentile.Of(rates, 50), bytes / busy / 1e6);
    }
}
