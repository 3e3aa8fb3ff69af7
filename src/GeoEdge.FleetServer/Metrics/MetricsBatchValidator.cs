using GeoEdge.Fleet.Contracts;

namespace GeoEdge.FleetServer.Metrics;

/// <summary>Checks a metrics batch before anything is stored, so a malformed batch is refused whole (400 naming the field).</summary>
public static class MetricsBatchValidator
{
    /// <summary>Bins of MetricsWindow.ConfidenceHistogram.</summary>
    public const int ConfidenceBins = 10;

    /// <summary>Throws MetricsBatchException naming the first field at fault.</summary>
    public static void Validate(MetricsBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Require(batch.Epoch >= 0, "epoch", $"{batch.Epoch} is negative");
        Require(batch.Records is { Count: > 0 }, "records", "a batch needs at least one record");
        IReadOnlyList<MetricsWindow> records = batch.Records!;
        Require(batch.FirstSeq == records[0].Seq, "firstSeq", $"{batch.FirstSeq} is not records[0].seq ({records[0].Seq})");
        Require(batch.LastSeq == records[^1].Seq, "lastSeq", $"{batch.LastSeq} is not records[{records.Count - 1}].seq ({records[^1].Seq})");
        for (int i = 0; i < records.Count; i++)
        {
            ValidateWindow(records[i], $"records[{i}]");
            if (i > 0)
            {
                Require(records[i].Seq > records[i - 1].Seq, $"records[{i}].seq", $"{records[i].Seq} does not follow {records[i - 1].Seq} (seqs must increase)");
            }
        }
    }

    private static void ValidateWindow(MetricsWindow w, string at)
    {
        Require(w is not null, at, "is null");
        Require(w!.Seq >= 0, $"{at}.seq", $"{w.Seq} is negative");
        Require(!string.IsNullOrWhiteSpace(w.Model), $"{at}.model", "is required");
        Require(!string.IsNullOrWhiteSpace(w.Version), $"{at}.version", "is required");
        Require(w.End >= w.Start, $"{at}.end", "is before start");
        Require(w.Inferences >= 0, $"{at}.inferences", $"{w.Inferences} is negative");
        Require(w.Errors >= 0 && w.Errors <= w.Inferences, $"{at}.errors", $"{w.Errors} is outside [0, inferences = {w.Inferences}]");
        Require(w.OodCount >= 0 && w.OodCount <= w.Inferences, $"{at}.oodCount", $"{w.OodCount} is outside [0, inferences = {w.Inferences}]");
        Require(w.DriftScore is null || (double.IsFinite(w.DriftScore.Value) && w.DriftScore.Value >= 0), $"{at}.driftScore", $"{w.DriftScore} is not a finite number >= 0");
        Require(w.DroppedBefore >= 0, $"{at}.droppedBefore", $"{w.DroppedBefore} is negative");
        Require(w.ConfidenceHistogram is { Count: ConfidenceBins }, $"{at}.confidenceHistogram", $"has {w.ConfidenceHistogram?.Count ?? 0} bins, not {ConfidenceBins}");
        RequireCounts(w.ConfidenceHistogram!, $"{at}.confidenceHistogram");
        Require(w.LatencyBoundsMs is { Count: > 0 }, $"{at}.latencyBoundsMs", "is empty");
        for (int b = 0; b < w.LatencyBoundsMs!.Count; b++)
        {
            double bound = w.LatencyBoundsMs[b];
            double previous = b == 0 ? 0 : w.LatencyBoundsMs[b - 1];
            Require(double.IsFinite(bound) && bound > previous, $"{at}.latencyBoundsMs[{b}]", $"{bound} is not finite and above {previous}");
        }

        Require(w.LatencyCounts is not null && w.LatencyCounts.Count == w.LatencyBoundsMs.Count + 1, $"{at}.latencyCounts",
            $"has {w.LatencyCounts?.Count ?? 0} buckets, not latencyBoundsMs + 1 = {w.LatencyBoundsMs.Count + 1}");
        RequireCounts(w.LatencyCounts!, $"{at}.latencyCounts");
        RequireCounts(w.Rejections, $"{at}.rejections");
        RequireCounts(w.Anomalies, $"{at}.anomalies");
    }

    private static void RequireCounts(IReadOnlyList<long> counts, string at)
    {
        for (int i = 0; i < counts.Count; i++)
        {
            Require(counts[i] >= 0, $"{at}[{i}]", $"{counts[i]} is negative");
        }
    }

    private static void RequireCounts(IReadOnlyDictionary<string, long>? counts, string at)
    {
        Require(counts is not null, at, "is required");
        foreach (KeyValuePair<string, long> pair in counts!)
        {
            Require(pair.Value >= 0, $"{at}.{pair.Key}", $"{pair.Value} is negative");
        }
    }

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw new MetricsBatchException(field, message);
        }
    }
}
