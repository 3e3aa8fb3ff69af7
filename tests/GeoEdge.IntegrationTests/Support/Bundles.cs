using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.IntegrationTests.Support;

/// <summary>.geob files for the fleet: the shipped shapes-dgcnn bundle zipped as it is, and new versions packed with
/// BundlePacker from the shipped ONNX file and manifest spec (signed with the dev key unless another key is given).</summary>
internal static class Bundles
{
    public static string DevPublicKey => Repository.Path("models/dev-keys/geoedge-dev.pub.pem");

    /// <summary>models/shapes-dgcnn/bundle as a .geob (its signed manifest untouched).</summary>
    public static string Shipped(string directory)
    {
        string output = Path.Combine(directory, "shapes-dgcnn-1.0.0.geob");
        using (ZipArchive zip = ZipFile.Open(output, ZipArchiveMode.Create))
        {
            foreach (string file in Directory.GetFiles(Repository.Path("models/shapes-dgcnn/bundle")).Order(StringComparer.Ordinal))
            {
                zip.CreateEntryFromFile(file, Path.GetFileName(file), CompressionLevel.Fastest);
            }
        }

        return output;
    }

    /// <summary>shapes-dgcnn <paramref name="version"/>; <paramref name="paddingBytes"/> of incompressible data ride along as
    /// an extra listed file (a download that takes long enough to be cut); <paramref name="key"/> null = the dev key.</summary>
    public static PackedBundle Pack(string directory, string version, int paddingBytes = 0, ECDsa? key = null)
    {
        string source = Directory.CreateTempSubdirectory("geoedge-e2e-pack-").FullName;
        try
        {
            // The packer names the graph after its file; the spec expects model.onnx.
            string model = Path.Combine(source, "model.onnx");
            File.Copy(Repository.Path("models/shapes-dgcnn/bundle/model.onnx"), model);
            var extra = new List<string>();
            if (paddingBytes > 0)
            {
                string padding = Path.Combine(source, "padding.bin");
                byte[] bytes = new byte[paddingBytes];
                new Random(7).NextBytes(bytes);
                File.WriteAllBytes(padding, bytes);
                extra.Add(padding);
            }

            JsonObject spec = JsonNode.Parse(File.ReadAllText(Repository.Path("models/shapes-dgcnn/manifest-spec.json")))!.AsObject();
            spec["version"] = version;
            using ECDsa dev = BundleSigningKey.LoadPem(Repository.Path("models/dev-keys/geoedge-dev.key.pem"));
            return BundlePacker.Pack(model, System.Text.Encoding.UTF8.GetBytes(spec.ToJsonString()), "manifest-spec.json", key ?? dev,
                Path.Combine(directory, $"shapes-dgcnn-{version}.geob"), extra);
        }
        finally
        {
            Directory.Delete(source, recursive: true);
        }
    }

    /// <summary>A fresh P-256 key and its public PEM file in <paramref name="directory"/> (a signer the device does not trust).</summary>
    public static (ECDsa Key, string PublicPem) OtherKey(string directory)
    {
        ECDsa key = BundleSigningKey.Generate();
        string pem = Path.Combine(directory, "other.pub.pem");
        File.WriteAllText(pem, key.ExportSubjectPublicKeyInfoPem());
        return (key, pem);
    }
}
