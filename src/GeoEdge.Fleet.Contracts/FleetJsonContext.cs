using System.Text.Json.Serialization;

namespace GeoEdge.Fleet.Contracts;

/// <summary>Source-generated (AOT-safe) JSON for every wire type; camelCase, nulls omitted, unknown members allowed
/// (a newer server may add fields an older agent does not know).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EnrollRequest))]
[JsonSerializable(typeof(EnrollResponse))]
[JsonSerializable(typeof(DesiredState))]
[JsonSerializable(typeof(ReportedState))]
[JsonSerializable(typeof(ActionStatusReport))]
[JsonSerializable(typeof(MetricsBatch))]
[JsonSerializable(typeof(MetricsAck))]
[JsonSerializable(typeof(ModelVersionInfo))]
[JsonSerializable(typeof(IReadOnlyList<ModelVersionInfo>))]
[JsonSerializable(typeof(RolloutRequest))]
[JsonSerializable(typeof(RolloutView))]
[JsonSerializable(typeof(IReadOnlyList<RolloutView>))]
[JsonSerializable(typeof(DeviceView))]
[JsonSerializable(typeof(IReadOnlyList<DeviceView>))]
[JsonSerializable(typeof(FleetProblem))]
public sealed partial class FleetJsonContext : JsonSerializerContext
{
}

/// <summary>An RFC 9457 problem document as the fleet server sends it on errors.</summary>
/// <param name="Type">Problem type URI (or about:blank).</param>
/// <param name="Title">Short summary.</param>
/// <param name="Status">HTTP status.</param>
/// <param name="Detail">What and where.</param>
public sealed record FleetProblem(string? Type, string? Title, int? Status, string? Detail);
