using System.IO.Compression;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.Host.Models;

/// <summary>Copies a verified bundle into models/&lt;name&gt;/&lt;version&gt;/: temp directory, re-verified, fsynced, renamed into place.</summary>
/// <remarks>The source is verified once where it is (a .geob is extracted under the store's staging directory), its
/// files are copied, and the copy is verified again, because the copy is what the device will run. A crash at any
/// point leaves only a '.'-named temp directory, which recovery deletes.</remarks>
internal sealed class BundleInstaller(StoreLayout layout, TrustedKeys trustedKeys)
{
    private static readonly long MaxManifestBytes = BundleOpenOptions.Default.MaxManifestBytes;

    public InstallResult Install(string bundlePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(bundlePath);
        Directory.CreateDirectory(layout.Staging);
        using ModelBundle source = ModelBundle.Open(bundlePath, trustedKeys, new BundleOpenOptions { ExtractionRoot = layout.Staging });
        BundleManifest manifest = source.Manifest;
        string target = layout.VersionDirectory(manifest.Name, manifest.Version);
        if (Directory.Exists(target))
        {
            return AlreadyThere(source, target);
        }

        string modelDirectory = layout.ModelDirectory(manifest.Name);
        bool created = !Directory.Exists(modelDirectory);
        Directory.CreateDirectory(modelDirectory);
        if (created)
        {
            DurableDirectory.Sync(layout.Root);
        }

        string temp = layout.NewTempDirectory(manifest.Name);
        try
        {
            CopyBundle(source, temp);
            using (ModelBundle copy = ModelBundle.Open(temp, trustedKeys))
            {
                if (copy.ManifestSha256 != source.ManifestSha256)
                {
                    throw new ModelStoreException(temp, "the copied bundle's manifest differs from the source's (the source changed while it was copied)");
                }
            }

            Directory.Move(temp, target);
            DurableDirectory.Sync(modelDirectory);
        }
        catch
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }

            throw;
        }

        return new InstallResult(manifest.Name, manifest.Version, source.ManifestSha256, AlreadyInstalled: false);
    }

    private InstallResult AlreadyThere(ModelBundle source, string target)
    {
        BundleManifest manifest = source.Manifest;
        using ModelBundle installed = ModelBundle.Open(target, trustedKeys);
        if (installed.ManifestSha256 != source.ManifestSha256)
        {
            throw new ModelStoreException(
                source.Source,
                $"{manifest.Name} {manifest.Version} is already installed with a different manifest (installed {installed.ManifestSha256[..12]}, this bundle {source.ManifestSha256[..12]}); a version is immutable, give the new bundle a new version");
        }

        return new InstallResult(manifest.Name, manifest.Version, source.ManifestSha256, AlreadyInstalled: true);
    }

    /// <summary>A verified file of the source; a .geob's extraction holds only the listed files, so its manifest and
    /// signature are read from the archive (the copy is verified again, so these bytes are checked before use).</summary>
    private static Stream? OpenSourceFile(ModelBundle source, string name)
    {
        string path = Path.Combine(source.Directory, name.Replace('/', Path.DirectorySeparatorChar));
        if (File.Exists(path))
        {
            return File.OpenRead(path);
        }

        if (source.Directory == source.Source || (name != BundleManifest.FileName && name != BundleSignature.FileName))
        {
            return null;
        }

        using ZipArchive zip = ZipFile.OpenRead(source.Source);
        if (zip.GetEntry(name) is not { } entry)
        {
            return null;
        }

        if (entry.Length > MaxManifestBytes)
        {
            throw new ModelStoreException(source.Source, $"{name} is {entry.Length} bytes; at most {MaxManifestBytes}");
        }

        var bytes = new MemoryStream((int)entry.Length);
        using (Stream from = entry.Open())
        {
            from.CopyTo(bytes);
        }

        bytes.Position = 0;
        return bytes;
    }

    private static void CopyBundle(ModelBundle source, string temp)
    {
        Directory.CreateDirectory(temp);
        var directories = new SortedSet<string>(StringComparer.Ordinal) { temp };
        foreach (string name in (IEnumerable<string>)[BundleManifest.FileName, BundleSignature.FileName, .. source.Manifest.Files.Keys])
        {
            string relative = name.Replace('/', Path.DirectorySeparatorChar);
            string to = Path.Combine(temp, relative);
            string directory = Path.GetDirectoryName(to)!;
            if (directories.Add(directory))
            {
                Directory.CreateDirectory(directory);
            }

            using Stream? input = OpenSourceFile(source, name);
            if (input is null)
            {
                continue; // an unsigned bundle has no manifest.sig; everything else was verified to exist
            }

            using var output = new FileStream(to, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            input.CopyTo(output);
            output.Flush(flushToDisk: true);
        }

        // Deepest first, so each directory's entries are durable before its parent's.
        foreach (string directory in directories.Reverse())
        {
            DurableDirectory.Sync(directory);
        }
    }
}
