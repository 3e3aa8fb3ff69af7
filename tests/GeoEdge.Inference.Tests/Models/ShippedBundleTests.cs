using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.Inference.Tests.Models;

/// <summary>The bundles in models/&lt;name&gt;/bundle open verified with the development key and match what they were packed from.</summary>
[Trait("Category", "Unit")]
public sealed class ShippedBundleTests
{
    public static TheoryData<string> Models => new() { ShippedModels.Shapes, ShippedModels.Sensors };

    [Theory]
    [MemberData(nameof(Models))]
    public void Bundle_opens_signed_by_the_development_key(string model)
    {
        using ModelBundle bundle = ModelBundle.Open(ShippedModels.Bundle(model), TrustedKeys.FromPemFiles(ShippedModels.DevPublicKey));

        Assert.Equal(Fixtures.DevKeyId, bundle.SignerKeyId);
        Assert.Equal(model, bundle.Manifest.Name);
        Assert.Equal("model.onnx", bundle.Manifest.Model);
        Assert.Equal(["model.onnx"], bundle.Manifest.Files.Keys);
        BundleFile graph = bundle.Manifest.Files["model.onnx"];
        byte[] bytes = File.ReadAllBytes(ShippedModels.Onnx(model));
        Assert.Equal((graph.Sha256, graph.Size), (Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.LongLength));
        Assert.Equal(ShippedModels.Onnx(model), bundle.ModelPath);
    }

    // A recipe run leaves its export at models/<name>/model.onnx; shipping it means packing it (models/pack-shipped.sh),
    // which removes it, so the bundle's graph stays the one copy and cannot silently differ from a second one.
    [Theory]
    [MemberData(nameof(Models))]
    public void No_unpacked_export_sits_beside_the_bundle(string model)
    {
        string export = ShippedModels.File(model, "model.onnx");

        Assert.False(File.Exists(export), $"{export} is not in the bundle: run models/pack-shipped.sh {model}");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Manifest_is_the_committed_spec_plus_what_pack_computes(string model)
    {
        JsonObject spec = JsonNode.Parse(File.ReadAllText(ShippedModels.File(model, "manifest-spec.json")))!.AsObject();
        JsonObject manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(ShippedModels.Bundle(model), BundleManifest.FileName)))!.AsObject();

        foreach (KeyValuePair<string, JsonNode?> field in spec)
        {
            Assert.True(JsonNode.DeepEquals(field.Value, manifest[field.Key]), $"{model}: manifest.{field.Key} differs from manifest-spec.json; run models/pack-shipped.sh {model}");
        }

        Assert.Equal(["name", "version", "task", "created", "model", .. SpecFieldsAfterHeader(spec), "files"], Keys(manifest));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Dataset_card_pins_the_shipped_data_files(string model)
    {
        using ModelBundle bundle = ModelBundle.Open(ShippedModels.Bundle(model), TrustedKeys.FromPemFiles(ShippedModels.DevPublicKey));
        IReadOnlyDictionary<string, string> files = bundle.Manifest.Dataset.Files!;

        Assert.Contains("data/test.npz", files.Keys);
        foreach ((string relative, string sha256) in files)
        {
            byte[] bytes = File.ReadAllBytes(ShippedModels.File(model, relative));
            Assert.True(sha256 == Convert.ToHexStringLower(SHA256.HashData(bytes)), $"{model}/{relative} changed since the bundle was packed");
            Assert.Equal(bundle.Manifest.Dataset.Extensions!["fileBytes"].GetProperty(relative).GetInt64(), bytes.LongLength);
        }
    }

    private static List<string> Keys(JsonObject o)
    {
        var keys = new List<string>();
        foreach (KeyValuePair<string, JsonNode?> field in o)
        {
            keys.Add(field.Key);
        }

        return keys;
    }

    private static IEnumerable<string> SpecFieldsAfterHeader(JsonObject spec)
    {
        foreach (string key in Keys(spec))
        {
            if (key is not ("name" or "version" or "task"))
            {
                yield return key;
            }
        }
    }
}
