namespace GeoEdge.Host.Models;

/// <summary>What <see cref="ModelStore.InstallAsync"/> did: the verified bundle's identity, and whether it was already there.</summary>
public sealed record InstallResult(string Model, string Version, string ManifestSha256, bool AlreadyInstalled)
{
    public override string ToString() => $"{Model} {Version} ({ManifestSha256[..12]}): {(AlreadyInstalled ? "already installed" : "installed")}";
}
