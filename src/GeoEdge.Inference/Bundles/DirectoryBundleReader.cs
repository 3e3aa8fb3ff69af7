namespace GeoEdge.Inference.Bundles;

/// <summary>Verifies a bundle laid out as a directory, in place.</summary>
internal static class DirectoryBundleReader
{
    public static VerifiedManifest Verify(string directory, TrustedKeys trustedKeys, BundleOpenOptions options)
    {
        byte[]? manifest = ReadSmall(directory, BundleManifest.FileName, options.MaxManifestBytes);
        byte[]? signature = ReadSmall(directory, BundleSignature.FileName, VerifiedManifest.MaxSignatureBytes);
        VerifiedManifest verified = VerifiedManifest.Verify(directory, manifest, signature, trustedKeys, options);
        CheckFiles(directory, verified.Manifest, options);
        var listed = new HashSet<string>(verified.Manifest.Files.Keys, StringComparer.Ordinal) { BundleManifest.FileName, BundleSignature.FileName };
        RejectUnlisted(directory, new DirectoryInfo(directory), string.Empty, listed);
        return verified;
    }

    private static byte[]? ReadSmall(string directory, string name, long limit)
    {
        var file = new FileInfo(Path.Combine(directory, name));
        if (file.LinkTarget is null && !file.Exists)
        {
            return null;
        }

        RejectLink(directory, file, name);
        if (file.Length > limit)
        {
            throw new BundleVerificationException(BundleCheck.SizeLimitExceeded, directory, name, $"{file.Length} bytes, more than the {limit} allowed");
        }

        using FileStream stream = file.OpenRead();
        return BoundedCopy.ReadAll(stream, limit)
            ?? throw new BundleVerificationException(BundleCheck.SizeLimitExceeded, directory, name, $"grew past the {limit} bytes allowed while being read");
    }

    private static void CheckFiles(string directory, BundleManifest manifest, BundleOpenOptions options)
    {
        long total = 0;
        foreach ((string relative, BundleFile expected) in manifest.Files)
        {
            FileInfo file = Resolve(directory, relative);
            if (!file.Exists)
            {
                throw new BundleVerificationException(BundleCheck.FileMissing, directory, relative, "listed in the manifest but absent");
            }

            if (file.Length != expected.Size)
            {
                throw new BundleVerificationException(BundleCheck.FileSizeMismatch, directory, relative, $"{file.Length} bytes, the manifest says {expected.Size}");
            }

            total += file.Length;
            if (file.Length > options.MaxFileBytes || total > options.MaxTotalBytes)
            {
                throw new BundleVerificationException(BundleCheck.SizeLimitExceeded, directory, relative, $"{file.Length} bytes ({total} in all) exceeds the limits of {options.MaxFileBytes} per file, {options.MaxTotalBytes} in all");
            }

            using FileStream stream = file.OpenRead();
            (long length, string sha256) = BoundedCopy.Run(stream, null, expected.Size);
            if (length != expected.Size)
            {
                throw new BundleVerificationException(BundleCheck.FileSizeMismatch, directory, relative, $"changed size while being read ({length} bytes read, the manifest says {expected.Size})");
            }

            if (sha256 != expected.Sha256)
            {
                throw new BundleVerificationException(BundleCheck.HashMismatch, directory, relative, $"SHA-256 is {sha256}, the manifest says {expected.Sha256}");
            }
        }
    }

    // Every segment is checked, so neither a linked file nor a linked parent directory can point outside the bundle.
    private static FileInfo Resolve(string directory, string relative)
    {
        string current = directory;
        string[] segments = relative.Split('/');
        for (int i = 0; i < segments.Length; i++)
        {
            current = Path.Combine(current, segments[i]);
            FileSystemInfo info = i == segments.Length - 1 ? new FileInfo(current) : new DirectoryInfo(current);
            RejectLink(directory, info, relative);
        }

        return new FileInfo(current);
    }

    private static void RejectUnlisted(string bundle, DirectoryInfo directory, string prefix, HashSet<string> listed)
    {
        foreach (FileSystemInfo entry in directory.EnumerateFileSystemInfos())
        {
            string relative = prefix + entry.Name;
            RejectLink(bundle, entry, relative);
            if (entry is DirectoryInfo sub)
            {
                RejectUnlisted(bundle, sub, relative + "/", listed);
            }
            else if (!listed.Contains(relative))
            {
                throw new BundleVerificationException(BundleCheck.UnlistedFile, bundle, relative, "present in the bundle but not listed in the manifest");
            }
        }
    }

    private static void RejectLink(string bundle, FileSystemInfo info, string relative)
    {
        if (info.LinkTarget is not null)
        {
            throw new BundleVerificationException(BundleCheck.ArchiveUnsafe, bundle, relative, $"is a symbolic link (to '{info.LinkTarget}'); bundles hold plain files only");
        }
    }
}
