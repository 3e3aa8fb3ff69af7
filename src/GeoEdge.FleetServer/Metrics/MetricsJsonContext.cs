using System.Text.Json.Serialization;

namespace GeoEdge.FleetServer.Metrics;

/// <summary>Source-generated JSON for the metrics read API (server-only types).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<VersionAggregate>))]
public sealed partial class MetricsJsonContext : JsonSerializerContext
{
}
