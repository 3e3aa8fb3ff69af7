using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.Inference.Tests.Bundles;

[Trait("Category", "Unit")]
public sealed class BundlePackerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ECDsa _key = BundleSigningKey.Generate();

    public void Dispose()
    {
        _key.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void Manifest_puts_identity_first_and_computed_parts_from_the_files()
    {
        string dir = TestBundles.Pack(_temp.File("b"), _key).Path;
        JsonObject manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!.AsObject();

        Assert.Equal(["name", "version", "task", "created", "model"], manifest.Select(p => p.Key).Take(5));
        Assert.Equal("files", manifest.Last().Key);
        Assert.Equal("2025-06-01T12:00:00Z", manifest["created"]!.GetValue<string>());
        Assert.Equal("""{"add_bias.onnx":{"sha256":"41dbe84c021f43f498a6bce578e3e4e6b0d6eee47b19d715c1c748cabb614928","size":131}}""", manifest["files"]!.ToJsonString());
        Assert.Equal(["add_bias.onnx", "manifest.json", "manifest.sig"], Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Extra_files_are_listed_hashed_and_verified()
    {
        string extra = _temp.File("class_means.npy");
        File.WriteAllBytes(extra, [1, 2, 3]);

        PackedBundle packed = TestBundles.Pack(_temp.File("b.geob"), _key, extraFiles: [extra]);
        using ModelBundle bundle = ModelBundle.Open(packed.Path, TestBundles.Trusting(_key), new BundleOpenOptions { ExtractionRoot = _temp.Path });

        Assert.Equal(("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81", 3L), (bundle.Manifest.Files["class_means.npy"].Sha256, bundle.Manifest.Files["class_means.npy"].Size));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(bundle.GetFilePath("class_means.npy")));
    }

    [Fact]
    public void Same_inputs_and_clock_give_the_same_manifest_bytes()
    {
        // The manifest (the bundle identity) is deterministic; the ECDSA signature over it is randomised.
        PackedBundle a = TestBundles.Pack(_temp.File("a.geob"), _key);
        PackedBundle b = TestBundles.Pack(_temp.File("b.geob"), _key);

        Assert.Equal(a.ManifestSha256, b.ManifestSha256);
    }

    [Fact]
    public void Repacking_replaces_an_existing_bundle_directory_and_leaves_no_temp_files()
    {
        string first = TestBundles.Pack(_temp.File("b"), _key).Path;
        File.WriteAllText(Path.Combine(first, "stale.txt"), "from an older pack");

        PackedBundle second = TestBundles.Pack(_temp.File("b"), _key, spec => spec["version"] = "1.3.0");

        Assert.False(File.Exists(Path.Combine(second.Path, "stale.txt")));
        Assert.Equal("1.3.0", second.Manifest.Version);
        Assert.Equal(["b"], Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_directory_that_is_not_a_bundle_is_never_replaced()
    {
        Directory.CreateDirectory(_temp.File("home"));
        File.WriteAllText(_temp.File("home/notes.txt"), "mine");

        Assert.Throws<IOException>(() => TestBundles.Pack(_temp.File("home"), _key));
        Assert.Equal("mine", File.ReadAllText(_temp.File("home/notes.txt")));
        Assert.Equal(["home"], Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("files")]
    [InlineData("created")]
    [InlineData("model")]
    public void Spec_that_sets_a_computed_part_is_refused(string computed)
    {
        BundleSpecException e = Assert.Throws<BundleSpecException>(() => TestBundles.Pack(_temp.File("b"), _key, spec => spec[computed] = "x"));

        Assert.Equal($"spec.json: $.{computed}: is computed by pack; remove it from the spec", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void Spec_schema_errors_name_the_path_and_write_nothing()
    {
        BundleSpecException e = Assert.Throws<BundleSpecException>(() => TestBundles.Pack(_temp.File("b.geob"), _key, spec => spec["outputs"]![0]!["dtype"] = "f16"));

        Assert.Equal(new ManifestError("$.outputs[0].dtype", "unknown dtype 'f16' (one of: bool, int8, uint8, int16, uint16, int32, uint32, int64, uint64, float16, bfloat16, float32, float64, string)"), Assert.Single(e.Errors));
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void Spec_that_is_not_json_is_refused()
    {
        BundleSpecException e = Assert.Throws<BundleSpecException>(() => BundlePacker.Pack(Fixtures.Onnx, "{ nope"u8, "bad.json", _key, _temp.File("b")));

        Assert.StartsWith("bad.json: not valid JSON: ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("manifest.json")]
    [InlineData(".hidden")]
    [InlineData("add_bias.onnx")]
    public void Extra_file_whose_name_cannot_be_in_a_bundle_is_refused(string name)
    {
        string dir = Directory.CreateDirectory(_temp.File("src")).FullName;
        File.WriteAllText(Path.Combine(dir, name), "x");

        Assert.Throws<ArgumentException>(() => TestBundles.Pack(_temp.File("b"), _key, extraFiles: [Path.Combine(dir, name)]));
    }

    [Fact]
    public void Non_p256_key_cannot_sign()
    {
        using ECDsa p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        CryptographicException e = Assert.Throws<CryptographicException>(() => TestBundles.Pack(_temp.File("b"), p384));

        Assert.StartsWith("bundle keys must be ECDSA on NIST P-256", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Written_manifest_is_utf8_without_escaped_plus_signs()
    {
        string dir = TestBundles.Pack(_temp.File("b"), _key).Path;

        Assert.Contains("\"version\": \"1.2.0-rc.1+build.7\"", Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir, "manifest.json"))), StringComparison.Ordinal);
    }
}
