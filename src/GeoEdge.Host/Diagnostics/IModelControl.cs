namespace GeoEdge.Host.Diagnostics;

/// <summary>Port: the model store's operations the diagnostics API exposes; implemented over ModelStore by `geoedge run`.</summary>
public interface IModelControl
{
    Task<IReadOnlyList<ModelSummary>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Activates an installed version; an expected failure (unknown name or version, verification) is a result, not an exception.</summary>
    Task<ModelControlResult> ActivateAsync(string model, string version, CancellationToken cancellationToken);

    /// <summary>Makes the previous version active again.</summary>
    Task<ModelControlResult> RollbackAsync(string model, CancellationToken cancellationToken);

    /// <summary>Verifies and installs a bundle (a directory or .geob the service can read) without activating it.</summary>
    Task<ModelControlResult> InstallAsync(string bundlePath, CancellationToken cancellationToken);
}

/// <summary>A model in the store: its active and previous versions and every installed one.</summary>
public sealed record ModelSummary(string Name, string? Active, string? Previous, IReadOnlyList<string> Installed);

/// <summary>How an activation or rollback ended; decides the HTTP status.</summary>
public enum ModelControlOutcome
{
    /// <summary>200: the requested version is active.</summary>
    Activated,

    /// <summary>200: the previous version is active again.</summary>
    RolledBack,

    /// <summary>200: the bundle is verified and installed (not active).</summary>
    Installed,

    /// <summary>404: no model of that name.</summary>
    UnknownModel,

    /// <summary>404: the model has no installed version of that number.</summary>
    UnknownVersion,

    /// <summary>409: the store refused in its current state (nothing to roll back to, verification failed, already switching).</summary>
    Refused,

    /// <summary>500: the operation failed and the store kept the version that was active.</summary>
    Failed,
}

/// <summary>What an activation or rollback did: the outcome, the versions after it and a sentence for a human.</summary>
public sealed record ModelControlResult(ModelControlOutcome Outcome, string Model, string? Active, string? Previous, string Detail)
{
    public bool Succeeded => Outcome is ModelControlOutcome.Activated or ModelControlOutcome.RolledBack or ModelControlOutcome.Installed;
}
