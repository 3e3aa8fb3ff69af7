using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.FleetSimulator;

/// <summary>The two .geob files the run registers: the shipped sensor-stgnn bundle as is (what the devices run) and the
/// same bundle re-versioned and re-signed with the dev key (what the rollout moves them to).</summary>
internal static class BenchBundles
{
    public static string ShippedVersion => "1.0.0";

    public static string NewVersion => "1.1.0";

    /// <summary>Writes &lt;model&gt;-&lt;version&gt;.geob for both versions into <paramref name="directory"/>; returns their paths.</summary>
    public static (string From, string To) Write(string repository, string model, string directory)
    {
        string bundle = Path.Combine(repository, "models", model, "bundle");
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string path in Directory.GetFiles(bundle))
        {
            files[Path.GetFileName(path)] = File.ReadAllBytes(path);
        }

        string from = Path.Combine(directory, $"{model}-{ShippedVersion}{ModelBundle.ArchiveExtension}");
        File.WriteAllBytes(from, Zip(files));
        string manifest = Encoding.UTF8.GetString(files[BundleManifest.FileName]);
        string needle = $"\"version\": \"{ShippedVersion}\"";
        if (!manifest.Contains(needle, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{bundle}/{BundleManifest.FileName}: no {needle} to bump");
        }

        files[BundleManifest.FileName] = Encoding.UTF8.GetBytes(manifest.Replace(needle, $"\"version\": \"{NewVersion}\"", StringComparison.Ordinal));
        using (var key = ECDsa.Create())
        {
            key.ImportFromPem(File.ReadAllText(Path.Combine(repository, "models", "dev-keys", "geoedge-dev.key.pem")));
            files[BundleSignature.FileName] = BundleSignature.Sign(files[BundleManifest.FileName], key).ToJsonBytes();
        }

        string to = Path.Combine(directory, $"{model}-{NewVersion}{ModelBundle.ArchiveExtension}");
        File.WriteAllBytes(to, Zip(files));
        return (from, to);
    }

    private static byte[] Zip(SortedDictionary<string, byte[]> files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((string name, byte[] bytes) in files)
            {
                using Stream entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(bytes);
            }
        }

        return buffer.ToArray();
    }
}
