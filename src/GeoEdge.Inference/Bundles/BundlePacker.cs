using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using GeoEdge.Geometry.IO;

namespace GeoEdge.Inference.Bundles;

/// <summary>Packs an ONNX file, extra files and a manifest spec into a signed bundle directory or .geob file, atomically.</summary>
/// <remarks>Files are copied into a staging directory while being hashed, so the manifest describes exactly the bytes shipped
/// even if a source file changes meanwhile; the output appears only complete (rename of the staged directory, or
/// <see cref="AtomicFile"/> for a .geob).</remarks>
public static class BundlePacker
{
    public static PackedBundle Pack(string modelPath, string specPath, ECDsa signingKey, string output, IReadOnlyList<string>? extraFiles = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(specPath);
        return Pack(modelPath, File.ReadAllBytes(specPath), specPath, signingKey, output, extraFiles, time);
    }

    public static PackedBundle Pack(string modelPath, ReadOnlySpan<byte> spec, string specName, ECDsa signingKey, string output, IReadOnlyList<string>? extraFiles = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentNullException.ThrowIfNull(signingKey);
        ArgumentException.ThrowIfNullOrEmpty(output);
        string outputPath = Path.GetFullPath(output.TrimEnd('/', Path.DirectorySeparatorChar));
        List<(string Source, string Name)> inputs = NameInputs(modelPath, extraFiles ?? []);
        string staging = Sibling(outputPath, "tmp");
        Directory.CreateDirectory(staging);
        try
        {
            var files = new SortedDictionary<string, BundleFile>(StringComparer.Ordinal);
            foreach ((string source, string name) in inputs)
            {
                files.Add(name, Stage(source, Path.Combine(staging, name)));
            }

            DateTimeOffset created = (time ?? TimeProvider.System).GetUtcNow();
            byte[] manifest = ManifestBuilder.Build(spec, specName, inputs[0].Name, files, created);
            BundleSignature signature = BundleSignature.Sign(manifest, signingKey);
            WriteDurably(Path.Combine(staging, BundleManifest.FileName), manifest);
            WriteDurably(Path.Combine(staging, BundleSignature.FileName), signature.ToJsonBytes());
            if (outputPath.EndsWith(ModelBundle.ArchiveExtension, StringComparison.OrdinalIgnoreCase))
            {
                AtomicFile.Write(outputPath, stream => Zip(staging, [BundleManifest.FileName, BundleSignature.FileName, .. files.Keys], created, stream));
            }
            else
            {
                ReplaceDirectory(staging, outputPath);
            }

            BundleManifest parsed = JsonSerializer.Deserialize(manifest, BundleJsonContext.Default.BundleManifest)!;
            return new PackedBundle(outputPath, parsed, Convert.ToHexStringLower(SHA256.HashData(manifest)), signature.KeyId);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static List<(string Source, string Name)> NameInputs(string modelPath, IReadOnlyList<string> extraFiles)
    {
        var inputs = new List<(string, string)>(extraFiles.Count + 1);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string source in (IEnumerable<string>)[modelPath, .. extraFiles])
        {
            string name = Path.GetFileName(source);
            if (!File.Exists(source))
            {
                throw new FileNotFoundException($"{source}: no such file", source);
            }

            if (!JsonChecks.FullMatch(ManifestValidator.FilePathRegex(), name) || Array.IndexOf(ManifestValidator.Reserved, name) >= 0)
            {
                throw new ArgumentException($"{source}: '{name}' cannot be a bundle file name (letters, digits, '.', '_', '-', not starting with '.', not manifest.json or manifest.sig)");
            }

            if (!names.Add(name))
            {
                throw new ArgumentException($"{source}: a file named '{name}' is already in the bundle");
            }

            inputs.Add((source, name));
        }

        return inputs;
    }

    private static BundleFile Stage(string source, string destination)
    {
        using FileStream input = File.OpenRead(source);
        using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        (long length, string sha256) = BoundedCopy.Run(input, output, long.MaxValue - 1);
        output.Flush(flushToDisk: true);
        return new BundleFile { Sha256 = sha256, Size = length };
    }

    private static void WriteDurably(string path, byte[] bytes)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    private static void Zip(string staging, IEnumerable<string> names, DateTimeOffset created, Stream destination)
    {
        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        foreach (string name in names)
        {
            ZipArchiveEntry entry = zip.CreateEntry(name, CompressionLevel.Optimal);

            // Same inputs and clock give the same archive bytes; zip time starts in 1980.
            entry.LastWriteTime = created.Year < 1980 ? new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero) : created;
            using Stream to = entry.Open();
            using FileStream from = File.OpenRead(Path.Combine(staging, name));
            from.CopyTo(to);
        }
    }

    // A directory cannot be renamed over another, so an existing bundle is moved aside first; the output path
    // is briefly absent but never half-written. Only a directory that holds a manifest.json is ever replaced.
    private static void ReplaceDirectory(string staging, string output)
    {
        if (File.Exists(output))
        {
            throw new IOException($"{output}: a file is in the way of the bundle directory (use a .geob name to write an archive)");
        }

        if (!Directory.Exists(output))
        {
            Directory.Move(staging, output);
            return;
        }

        if (Directory.EnumerateFileSystemEntries(output).Any() && !File.Exists(Path.Combine(output, BundleManifest.FileName)))
        {
            throw new IOException($"{output}: exists and is not a bundle; refusing to replace it");
        }

        string old = Sibling(output, "old");
        Directory.Move(output, old);
        Directory.Move(staging, output);
        Directory.Delete(old, recursive: true);
    }

    private static string Sibling(string path, string suffix) =>
        Path.Combine(Path.GetDirectoryName(path) ?? ".", $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.{suffix}");
}
