namespace GeoEdge.Inference.Bundles;

/// <summary>One schema violation in a manifest: the JSON path at fault ("$.inputs[1].dtype") and what is wrong there.</summary>
public sealed record ManifestError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
