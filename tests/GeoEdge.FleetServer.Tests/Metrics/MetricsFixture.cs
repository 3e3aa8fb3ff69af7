using GeoEdge.Fleet.Contracts;

namespace GeoEdge.FleetServer.Tests.Metrics;

/// <summary>Small hand-checkable metric windows and batches.</summary>
internal static class MetricsFixture
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Latency buckets 10/20/50 ms + Inf.</summary>
    public static readonly double[] Bounds = [10, 20, 50];

    public static MetricsWindow Window(long seq, string version = "1.1.0", long inferences = 100, long errors = 2, long ood = 5,
        long[]? latency = null, long[]? confidence = null) =>
        new(seq, "shapes-dgcnn", version, T0.AddMinutes(seq), T0.AddMinutes(seq + 1), inferences, errors,
            new Dictionary<string, long> { ["nan"] = 1 }, ood, confidence ?? [0, 0, 0, 0, 0, 10, 10, 20, 30, 30], Bounds,
            latency ?? [50, 40, 10, 0], new Dictionary<string, long>(), 0.25, 0);

    public static MetricsBatch Batch(long epoch, long first, long last, string version = "1.1.0") =>
        new(epoch, first, last, Enumerable.Range((int)first, (int)(last - first + 1)).Select(s => Window(s, version)).ToArray());
}
