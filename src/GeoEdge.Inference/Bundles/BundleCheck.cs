namespace GeoEdge.Inference.Bundles;

/// <summary>The verification step a bundle failed, in the order <see cref="ModelBundle.Open"/> runs them.</summary>
public enum BundleCheck
{
    /// <summary>The path is neither a bundle directory nor a .geob file.</summary>
    BundleMissing,

    /// <summary>The .geob file is not a readable zip archive.</summary>
    ArchiveMalformed,

    /// <summary>The container holds an entry that could escape or alias: zip-slip or absolute path, symbolic link, duplicate, encrypted entry.</summary>
    ArchiveUnsafe,

    /// <summary>An entry, the manifest or the whole bundle is larger than <see cref="BundleOpenOptions"/> allows.</summary>
    SizeLimitExceeded,

    /// <summary>manifest.json is absent.</summary>
    ManifestMissing,

    /// <summary>manifest.json is not well-formed JSON (or repeats a property).</summary>
    ManifestMalformed,

    /// <summary>manifest.json is JSON but breaks models/bundle-manifest.schema.json.</summary>
    SchemaViolation,

    /// <summary>manifest.sig is absent and unsigned bundles are not allowed.</summary>
    SignatureMissing,

    /// <summary>manifest.sig is malformed, names another algorithm, or does not verify over manifest.json's bytes.</summary>
    SignatureInvalid,

    /// <summary>manifest.sig names a key that is not among the trusted keys.</summary>
    UntrustedKey,

    /// <summary>A file listed in the manifest is absent.</summary>
    FileMissing,

    /// <summary>A listed file's size differs from the manifest's.</summary>
    FileSizeMismatch,

    /// <summary>A listed file's SHA-256 differs from the manifest's.</summary>
    HashMismatch,

    /// <summary>The bundle holds a file the manifest does not list.</summary>
    UnlistedFile,
}
