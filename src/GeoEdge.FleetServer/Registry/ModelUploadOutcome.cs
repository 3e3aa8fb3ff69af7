using GeoEdge.FleetServer.Storage;

namespace GeoEdge.FleetServer.Registry;

/// <summary>What an upload came to: registered (new or the same bundle again), or refused with the HTTP status and the reason.</summary>
/// <param name="Version">The registered version when accepted.</param>
/// <param name="Created">True when this upload added the version (201), false when it was already there (200).</param>
/// <param name="Status">The refusal's HTTP status (413, 422, 409) when refused.</param>
/// <param name="Problem">Machine-readable problem kind when refused (e.g. the failed bundle check).</param>
/// <param name="Detail">What and where, when refused.</param>
public sealed record ModelUploadOutcome(ModelVersionRecord? Version, bool Created, int Status, string? Problem, string? Detail)
{
    /// <summary>An accepted upload.</summary>
    public static ModelUploadOutcome Accepted(ModelVersionRecord version, bool created) => new(version, created, created ? 201 : 200, null, null);

    /// <summary>A refused upload.</summary>
    public static ModelUploadOutcome Refused(int status, string problem, string detail) => new(null, false, status, problem, detail);
}
