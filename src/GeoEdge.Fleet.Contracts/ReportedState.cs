namespace GeoEdge.Fleet.Contracts;

/// <summary>PUT /v1/devices/{id}/reported: what the device runs and how its last desired state went.</summary>
/// <param name="LastDesiredVersion">The desired version the device last acted on.</param>
/// <param name="LastDesiredStatus">How that went: Code 200 = converged.</param>
/// <param name="Models">Per model: the active and previous versions.</param>
/// <param name="AgentVersion">The geoedge version.</param>
/// <param name="Board">Board name.</param>
/// <param name="Attributes">Current attributes (may change after enrollment).</param>
public sealed record ReportedState(
    long LastDesiredVersion,
    DesiredStatus LastDesiredStatus,
    IReadOnlyList<ReportedModel> Models,
    string AgentVersion,
    string Board,
    IReadOnlyDictionary<string, string>? Attributes = null);

/// <summary>The outcome of applying a desired state (HTTP-like codes: 200 converged, 102 in progress, 4xx/5xx failed).</summary>
/// <param name="Code">200 = converged.</param>
/// <param name="Description">A human sentence.</param>
public sealed record DesiredStatus(int Code, string Description)
{
    /// <summary>The code that means "converged".</summary>
    public const int Converged = 200;

    /// <summary>The code for "working on it".</summary>
    public const int InProgress = 102;
}

/// <summary>One model's active and previous versions on the device.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Active">The active version, or null.</param>
/// <param name="Previous">The version a rollback returns to, or null.</param>
public sealed record ReportedModel(string Model, ModelVersionReference? Active, ModelVersionReference? Previous);

/// <summary>A model version and the SHA-256 of its manifest (what identifies the exact bytes the device runs).</summary>
/// <param name="Version">Semantic version.</param>
/// <param name="Sha256">SHA-256 of the bundle's manifest.json, lower-case hex.</param>
public sealed record ModelVersionReference(string Version, string Sha256);
