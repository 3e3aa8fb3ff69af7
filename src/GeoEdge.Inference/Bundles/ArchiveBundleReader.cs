using System.Diagnostics.CodeAnalysis;
using System.IO.Compression;

namespace GeoEdge.Inference.Bundles;

/// <summary>Verifies a .geob (zip) bundle: entry names and sizes before anything is extracted, then extracts listed files while hashing them.</summary>
internal static class ArchiveBundleReader
{
    private const int UnixFileTypeMask = 0xF000;
    private const int UnixSymbolicLink = 0xA000;
    private const int UnixRegularFile = 0x8000;
    private const int UnixDirectory = 0x4000;

    /// <summary>Verifies <paramref name="archive"/> and extracts its listed files into <paramref name="target"/>, an empty directory the caller owns.</summary>
    public static VerifiedManifest VerifyAndExtract(string archive, string target, TrustedKeys trustedKeys, BundleOpenOptions options)
    {
        using FileStream stream = File.OpenRead(archive);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw new BundleVerificationException(BundleCheck.ArchiveMalformed, archive, null, $"not a readable zip archive ({e.Message})", e);
        }

        using (zip)
        {
            try
            {
                Dictionary<string, ZipArchiveEntry> entries = Scan(archive, zip, options);
                byte[]? manifest = ReadSmall(archive, entries, BundleManifest.FileName, options.MaxManifestBytes);
                byte[]? signature = ReadSmall(archive, entries, BundleSignature.FileName, VerifiedManifest.MaxSignatureBytes);
                VerifiedManifest verified = VerifiedManifest.Verify(archive, manifest, signature, trustedKeys, options);
                MatchEntries(archive, entries, verified.Manifest);
                Extract(archive, entries, verified.Manifest, target);
                return verified;
            }
            catch (InvalidDataException e)
            {
                throw new BundleVerificationException(BundleCheck.ArchiveMalformed, archive, null, $"corrupt entry data ({e.Message})", e);
            }
        }
    }

    // Everything here reads the central directory only: no entry is decompressed before its name and size are accepted.
    private static Dictionary<string, ZipArchiveEntry> Scan(string archive, ZipArchive zip, BundleOpenOptions options)
    {
        if (zip.Entries.Count > options.MaxEntries)
        {
            throw new BundleVerificationException(BundleCheck.SizeLimitExceeded, archive, null, $"{zip.Entries.Count} entries, more than the {options.MaxEntries} allowed");
        }

        var files = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        long total = 0;
        foreach (ZipArchiveEntry entry in zip.Entries)
        {
            string name = entry.FullName;
            bool isDirectory = name.EndsWith('/');
            string path = isDirectory ? name[..^1] : name;
            int type = (entry.ExternalAttributes >> 16) & UnixFileTypeMask;
            if (!IsSafeName(path))
            {
                Unsafe(archive, name, "unsafe entry name: absolute, '..', '.', backslash or a character outside [A-Za-z0-9._-/]");
            }

            if (type == UnixSymbolicLink || (type != 0 && type != (isDirectory ? UnixDirectory : UnixRegularFile)))
            {
                Unsafe(archive, name, "is a symbolic link or special file; bundles hold plain files only");
            }

            if (entry.IsEncrypted)
            {
                Unsafe(archive, name, "is encrypted");
            }

            if (!seen.Add(path))
            {
                // Case-insensitive: two names that collide on a case-insensitive disk must not both be accepted.
                Unsafe(archive, name, "appears twice (names compare case-insensitively)");
            }

            if (isDirectory)
            {
                continue;
            }

            total += entry.Length;
            if (entry.Length > options.MaxFileBytes || total > options.MaxTotalBytes)
            {
                throw new BundleVerificationException(BundleCheck.SizeLimitExceeded, archive, name, $"{entry.Length} bytes uncompressed ({total} in all) exceeds the limits of {options.MaxFileBytes} per entry, {options.MaxTotalBytes} in all");
            }

            files.Add(path, entry);
        }

        return files;
    }

    private static bool IsSafeName(string path) =>
        path == BundleManifest.FileName || path == BundleSignature.FileName
        || (path.Length <= 255 && JsonChecks.FullMatch(ManifestValidator.FilePathRegex(), path));

    private static byte[]? ReadSmall(string archive, Dictionary<string, ZipArchiveEntry> entries, string name, long limit)
    {
        if (!entries.TryGetValue(name, out ZipArchiveEntry? entry))
        {
            return null;
        }

        if (entry.Length > limit)
        {
            throw new BundleVerificationException(BundleCheck.SizeLimitExceeded, archive, name, $"{entry.Length} bytes, more than the {limit} allowed");
        }

        using Stream stream = entry.Open();
        byte[]? bytes = BoundedCopy.ReadAll(stream, entry.Length);
        return bytes is not null && bytes.Length == entry.Length
            ? bytes
            : throw new BundleVerificationException(BundleCheck.ArchiveUnsafe, archive, name, "decompresses to a different size than its header declares");
    }

    private static void MatchEntries(string archive, Dictionary<string, ZipArchiveEntry> entries, BundleManifest manifest)
    {
        foreach ((string relative, BundleFile expected) in manifest.Files)
        {
            if (!entries.TryGetValue(relative, out ZipArchiveEntry? entry))
            {
                throw new BundleVerificationException(BundleCheck.FileMissing, archive, relative, "listed in the manifest but absent");
            }

            if (entry.Length != expected.Size)
            {
                throw new BundleVerificationException(BundleCheck.FileSizeMismatch, archive, relative, $"{entry.Length} bytes, the manifest says {expected.Size}");
            }
        }

        foreach (string name in entries.Keys)
        {
            if (name != BundleManifest.FileName && name != BundleSignature.FileName && !manifest.Files.ContainsKey(name))
            {
                throw new BundleVerificationException(BundleCheck.UnlistedFile, archive, name, "present in the bundle but not listed in the manifest");
            }
        }
    }

    private static void Extract(string archive, Dictionary<string, ZipArchiveEntry> entries, BundleManifest manifest, string target)
    {
        foreach ((string relative, BundleFile expected) in manifest.Files)
        {
            string destination = Path.Combine(target, relative.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            using Stream source = entries[relative].Open();
            using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            (long length, string sha256) = BoundedCopy.Run(source, output, expected.Size);
            if (length != expected.Size)
            {
                throw new BundleVerificationException(BundleCheck.FileSizeMismatch, archive, relative, $"decompresses to {(length > expected.Size ? "more than " + expected.Size : length)} bytes, the manifest says {expected.Size}");
            }

            if (sha256 != expected.Sha256)
            {
                throw new BundleVerificationException(BundleCheck.HashMismatch, archive, relative, $"SHA-256 is {sha256}, the manifest says {expected.Sha256}");
            }

            output.Flush(flushToDisk: true);
        }
    }

    [DoesNotReturn]
    private static void Unsafe(string archive, string name, string detail) =>
        throw new BundleVerificationException(BundleCheck.ArchiveUnsafe, archive, name, detail);
}
