namespace GeoEdge.Inference.Bundles;

/// <summary>Limits and switches for <see cref="ModelBundle.Open"/>; the defaults suit a device.</summary>
public sealed record BundleOpenOptions
{
    public static BundleOpenOptions Default { get; } = new();

    /// <summary>Developer switch: open bundles without manifest.sig. A present signature is still verified.</summary>
    public bool AllowUnsigned { get; init; }

    public long MaxManifestBytes { get; init; } = 16L << 20;

    /// <summary>Largest single file (a .geob entry uncompressed, or a listed file of a directory).</summary>
    public long MaxFileBytes { get; init; } = 1L << 30;

    /// <summary>Largest sum of all files of the bundle.</summary>
    public long MaxTotalBytes { get; init; } = 2L << 30;

    public int MaxEntries { get; init; } = 1024;

    /// <summary>Where a .geob is extracted; null for the system temp directory.</summary>
    public string? ExtractionRoot { get; init; }
}
