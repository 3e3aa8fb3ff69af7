using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.FleetSimulator;

/// <summary>The two .geob files the run registers: the shipped sensor-stgnn bundle as is (what the devices run) and the
/// same bundle re-versioned, with an optional incompressible payload file listed in its manifest (a larger model's
/// weights, so downloads move enough bytes to measure), and re-signed with the dev key (what the rollout moves them to).</summary>
internal static class BenchBundles
{
    public static string ShippedVersion => "1.0.0";

    public static string NewVersion => "1.1.0";

    private static string PayloadFile => "payload.bin";

    /// <summary>Writes &lt;model&gt;-&lt;version&gt;.geob for both versions into <paramref name="directory"/>; returns their paths.</summary>
    public static (string From, string To) Write(string repository, string model, string directory, int payloadKb)
    {
        string bundle = Path.Combine(repository, "models", model, "bundle");
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string path in Directory.GetFiles(bundle))
        {
            files[Path.GetFileName(path)] = File.ReadAllBytes(path);
        }

        string from = Path.Combine(directory, $"{model}-{ShippedVersion}{ModelBundle.ArchiveExtension}");
        File.WriteAllBytes(from, Zip(files));
        JsonObject manifest = JsonNode.Parse(files[BundleManifest.FileName])!.AsObject();
        if ((string?)manifest["version"] != ShippedVersion)
        {
            throw new InvalidDataException($"{bundle}/{BundleManifest.FileName}: version is {manifest["version"]}, not {ShippedVersion}");
        }

        manifest["version"] = NewVersion;
        if (payloadKb > 0)
        {
            byte[] payload = new byte[payloadKb * 1024];
            new Random(payloadKb).NextBytes(payload);
            files[PayloadFile] = payload;
            manifest["files"]![PayloadFile] = new JsonObject { ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(payload)), ["size"] = payload.Length };
        }

        files[BundleManifest.FileName] = Encoding.UTF8.GetBytes(manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
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
