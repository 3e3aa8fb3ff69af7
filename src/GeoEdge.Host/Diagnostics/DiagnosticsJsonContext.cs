using System.Text.Json.Serialization;

namespace GeoEdge.Host.Diagnostics;

/// <summary>Source-generated JSON for every diagnostics request and response (AOT: no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(ReadinessResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ActivateRequest))]
[JsonSerializable(typeof(InstallRequest))]
[JsonSerializable(typeof(InferenceResponse))]
[JsonSerializable(typeof(ApiProblem))]
[JsonSerializable(typeof(ModelControlResult))]
[JsonSerializable(typeof(IReadOnlyList<ModelSummary>))]
public sealed partial class DiagnosticsJsonContext : JsonSerializerContext;
