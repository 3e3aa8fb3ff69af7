using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.FleetServer.Tests.Support;

/// <summary>.geob files made from the shipped shapes-dgcnn bundle: as shipped, re-versioned and re-signed with the dev
/// key, tampered, or signed by a key the server does not trust.</summary>
internal static class TestBundles
{
    public static string Fixture(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "fixtures", .. parts]);

    public static string DevPublicKey => Fixture("dev-keys", "geoedge-dev.pub.pem");

    /// <summary>The shipped bundle, zipped.</summary>
    public static byte[] Shipped() => Zip(ShippedFiles());

    /// <summary>The shipped bundle with another version in its manifest, signed with <paramref name="key"/> (default: the dev key).</summary>
    public static byte[] WithVersion(string version, ECDsa? key = null)
    {
        Dictionary<string, byte[]> files = ShippedFiles();
        string manifest = Encoding.UTF8.GetString(files[BundleManifest.FileName]).Replace("\"version\": \"1.0.0\"", $"\"version\": \"{version}\"", StringComparison.Ordinal);
        files[BundleManifest.FileName] = Encoding.UTF8.GetBytes(manifest);
        using ECDsa dev = DevKey();
        files[BundleSignature.FileName] = BundleSignature.Sign(files[BundleManifest.FileName], key ?? dev).ToJsonBytes();
        return Zip(files);
    }

    /// <summary>The shipped bundle with one byte of the ONNX file changed (the manifest's hash no longer matches).</summary>
    public static byte[] Tampered()
    {
        Dictionary<string, byte[]> files = ShippedFiles();
        byte[] model = files["model.onnx"];
        model[model.Length / 2] ^= 0x01;
        return Zip(files);
    }

    private static ECDsa DevKey()
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Fixture("dev-keys", "geoedge-dev.key.pem")));
        return key;
    }

    private static Dictionary<string, byte[]> ShippedFiles()
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string path in Directory.GetFiles(Fixture("shapes-dgcnn")))
        {
            files[Path.GetFileName(path)] = File.ReadAllBytes(path);
        }

        return files;
    }

    private static byte[] Zip(Dictionary<string, byte[]> files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((string name, byte[] bytes) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                using Stream entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                entry.Write(bytes);
            }
        }

        return buffer.ToArray();
    }
}
