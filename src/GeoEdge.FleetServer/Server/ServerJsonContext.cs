using System.Text.Json.Serialization;

namespace GeoEdge.FleetServer.Server;

/// <summary>POST /v1/enrollment-tokens.</summary>
/// <param name="Fleet">The fleet devices enrolling with it join.</param>
/// <param name="ExpiresInMinutes">Lifetime.</param>
/// <param name="MaxUses">How many devices may enroll with it.</param>
public sealed record EnrollmentTokenRequest(string Fleet, int ExpiresInMinutes, int MaxUses);

/// <summary>201 answer: the token, shown this once.</summary>
/// <param name="Id">Id (for listing).</param>
/// <param name="Token">The secret.</param>
/// <param name="Fleet">Fleet.</param>
/// <param name="ExpiresAt">Expiry.</param>
/// <param name="MaxUses">Uses.</param>
public sealed record EnrollmentTokenResponse(string Id, string Token, string Fleet, DateTimeOffset ExpiresAt, int MaxUses);

/// <summary>POST /v1/operator-tokens (admin).</summary>
/// <param name="Name">Who or what uses it.</param>
/// <param name="Role">viewer, operator or admin.</param>
public sealed record OperatorTokenRequest(string Name, string Role);

/// <summary>201 answer: the operator token, shown this once.</summary>
/// <param name="Id">Id.</param>
/// <param name="Token">The secret.</param>
/// <param name="Role">Role.</param>
public sealed record OperatorTokenResponse(string Id, string Token, string Role);

/// <summary>Source-generated JSON for the server-only request and answer types (the wire types are in FleetJsonContext).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EnrollmentTokenRequest))]
[JsonSerializable(typeof(EnrollmentTokenResponse))]
[JsonSerializable(typeof(OperatorTokenRequest))]
[JsonSerializable(typeof(OperatorTokenResponse))]
public sealed partial class ServerJsonContext : JsonSerializerContext
{
}
