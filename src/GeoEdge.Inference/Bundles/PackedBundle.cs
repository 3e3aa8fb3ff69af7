namespace GeoEdge.Inference.Bundles;

/// <summary>What <see cref="BundlePacker"/> wrote: where, the manifest, its SHA-256 (the bundle identity) and the signing key id.</summary>
public sealed record PackedBundle(string Path, BundleManifest Manifest, string ManifestSha256, string KeyId);
