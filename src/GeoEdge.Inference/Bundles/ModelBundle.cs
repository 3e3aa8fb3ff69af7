namespace GeoEdge.Inference.Bundles;

/// <summary>A model bundle whose manifest, signature and every file have been verified; nothing in it is used before that.</summary>
/// <remarks>A .geob is extracted to a private temp directory that this object owns and deletes on <see cref="Dispose"/>;
/// a bundle directory is verified in place and left alone, so whoever owns that directory must keep it unchanged while it is used.</remarks>
public sealed class ModelBundle : IDisposable
{
    /// <summary>The file extension of a zipped bundle.</summary>
    public const string ArchiveExtension = ".geob";

    private readonly bool _ownsDirectory;
    private bool _disposed;

    private ModelBundle(string source, string directory, bool ownsDirectory, VerifiedManifest verified)
    {
        Source = source;
        Directory = directory;
        _ownsDirectory = ownsDirectory;
        Manifest = verified.Manifest;
        ManifestSha256 = verified.Sha256;
        SignerKeyId = verified.SignerKeyId;
    }

    /// <summary>The path given to <see cref="Open"/>: a bundle directory or a .geob file.</summary>
    public string Source { get; }

    /// <summary>The directory holding the verified files (the source itself, or the extraction directory of a .geob).</summary>
    public string Directory { get; }

    public BundleManifest Manifest { get; }

    /// <summary>Lower-case hex SHA-256 of manifest.json's bytes: the bundle's identity (the manifest pins every file).</summary>
    public string ManifestSha256 { get; }

    /// <summary>Key id of the trusted key that signed the manifest; null when an unsigned bundle was allowed.</summary>
    public string? SignerKeyId { get; }

    public bool IsSigned => SignerKeyId is not null;

    /// <summary>Full path of the ONNX graph named by the manifest's <c>model</c>.</summary>
    public string ModelPath => GetFilePath(Manifest.Model);

    /// <summary>Opens and verifies a bundle directory or .geob file; throws <see cref="BundleVerificationException"/> naming the failed check.</summary>
    public static ModelBundle Open(string path, TrustedKeys trustedKeys, BundleOpenOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(trustedKeys);
        options ??= BundleOpenOptions.Default;
        string full = Path.GetFullPath(path);
        if (System.IO.Directory.Exists(full))
        {
            return new ModelBundle(full, full, ownsDirectory: false, DirectoryBundleReader.Verify(full, trustedKeys, options));
        }

        if (!File.Exists(full))
        {
            throw new BundleVerificationException(BundleCheck.BundleMissing, full, null, "no bundle directory or .geob file at this path");
        }

        string target = CreatePrivateDirectory(options.ExtractionRoot);
        try
        {
            VerifiedManifest verified = ArchiveBundleReader.VerifyAndExtract(full, target, trustedKeys, options);
            return new ModelBundle(full, target, ownsDirectory: true, verified);
        }
        catch
        {
            System.IO.Directory.Delete(target, recursive: true);
            throw;
        }
    }

    /// <summary>Full path of a file the manifest lists (and that was verified); throws for any other name.</summary>
    public string GetFilePath(string relative)
    {
        ArgumentNullException.ThrowIfNull(relative);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!Manifest.Files.ContainsKey(relative))
        {
            throw new ArgumentException($"'{relative}' is not a file of bundle {Manifest.Name} {Manifest.Version}", nameof(relative));
        }

        return Path.Combine(Directory, relative.Replace('/', Path.DirectorySeparatorChar));
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_ownsDirectory)
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    public override string ToString() => $"{Manifest.Name} {Manifest.Version} ({Manifest.Task}, {ManifestSha256[..12]})";

    private static string CreatePrivateDirectory(string? root)
    {
        if (root is null)
        {
            return System.IO.Directory.CreateTempSubdirectory("geoedge-bundle-").FullName;
        }

        string path = Path.Combine(Path.GetFullPath(root), $"bundle-{Guid.NewGuid():N}");
        if (OperatingSystem.IsWindows())
        {
            return System.IO.Directory.CreateDirectory(path).FullName;
        }

        return System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
    }
}
