using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.Inference.Tests;

/// <summary>Paths of the committed fixtures (tests/fixtures, models/), copied beside the test assembly.</summary>
internal static class Fixtures
{
    public const string DevKeyId = "7ea841fa393b6b6d1ed33a5b4fa4d9be";

    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, "fixtures", .. parts]);

    public static string Onnx => Path("onnx", "add_bias.onnx");

    public static string Spec => Path("onnx", "add_bias.manifest-spec.json");

    public static string DevPrivateKey => Path("dev-keys", "geoedge-dev.key.pem");

    public static string DevPublicKey => Path("dev-keys", "geoedge-dev.pub.pem");
}

/// <summary>A temporary directory deleted when the test ends.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("geoedge-test-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Packs the fixture model into a signed bundle with a fixed clock, so each test starts from a known-good bundle.</summary>
internal static class TestBundles
{
    public static readonly DateTimeOffset Created = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static PackedBundle Pack(string output, ECDsa key, Action<JsonObject>? editSpec = null, IReadOnlyList<string>? extraFiles = null)
    {
        JsonObject spec = JsonNode.Parse(File.ReadAllText(Fixtures.Spec))!.AsObject();
        editSpec?.Invoke(spec);
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(spec.ToJsonString());
        return BundlePacker.Pack(Fixtures.Onnx, bytes, "spec.json", key, output, extraFiles, new FixedClock(Created));
    }

    public static TrustedKeys Trusting(ECDsa key)
    {
        var keys = new TrustedKeys();
        keys.Add(key);
        return keys;
    }

    public static BundleVerificationException OpenFails(string path, TrustedKeys keys, BundleOpenOptions? options = null) =>
        Assert.Throws<BundleVerificationException>(() => ModelBundle.Open(path, keys, options).Dispose());
}

/// <summary>A clock that always reads the same instant.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
