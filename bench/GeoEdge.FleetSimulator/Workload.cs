using System.Text.Json.Serialization;

namespace GeoEdge.FleetSimulator;

/// <summary>What one device's inference looks like, recorded from a real run (workload.json, written by
/// <c>geoedge-fleet-sim record-workload</c>): the model, the rate, the latency histogram on the agent's buckets and how
/// many sensors each window flagged.</summary>
/// <param name="Model">The model the recording ran (the rollout moves this model).</param>
/// <param name="RatePerSecond">Inferences per second per device (the device config's replay rate).</param>
/// <param name="Source">How and where it was recorded.</param>
/// <param name="Inferences">Windows scored in the recording.</param>
/// <param name="Rejections">Windows the pipeline refused, by reason.</param>
/// <param name="LatencyBoundsMs">Upper bounds of the latency buckets (the agent's WindowCounters.LatencyBoundsMs).</param>
/// <param name="LatencyCounts">Windows per latency bucket (one more than the bounds: +Inf).</param>
/// <param name="AnomalousSensorCounts">Windows by how many sensors they flagged (index = sensors flagged).</param>
internal sealed record Workload(
    string Model,
    double RatePerSecond,
    string Source,
    long Inferences,
    IReadOnlyDictionary<string, long> Rejections,
    IReadOnlyList<double> LatencyBoundsMs,
    IReadOnlyList<long> LatencyCounts,
    IReadOnlyList<long> AnomalousSensorCounts);

/// <summary>Source-generated JSON for the simulator's own files (workload, report).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(Workload))]
[JsonSerializable(typeof(SimulationReport))]
internal sealed partial class SimulatorJsonContext : JsonSerializerContext;
