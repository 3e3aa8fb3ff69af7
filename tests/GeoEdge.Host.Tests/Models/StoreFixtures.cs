using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GeoEdge.Host.Models;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoEdge.Host.Tests.Models;

/// <summary>The shipped bundles and dev keys (read in place from the repository's models/), and bundles packed from them at test time.</summary>
internal static class StoreFixtures
{
    public const string Shapes = "shapes-dgcnn";
    public const string ShippedVersion = "1.0.0";

    private static readonly Lazy<string> Root = new(FindModelsDirectory);

    public static string ModelsDirectory => Root.Value;

    public static string ShapesBundle => Path.Combine(Root.Value, Shapes, "bundle");

    public static string DevPublicKey => Path.Combine(Root.Value, "dev-keys", "geoedge-dev.pub.pem");

    public static string DevPrivateKey => Path.Combine(Root.Value, "dev-keys", "geoedge-dev.key.pem");

    public static TrustedKeys Keys => TrustedKeys.FromPemFiles(DevPublicKey);

    /// <summary>Small sessions: one ORT thread, two buffer sets, one warm-up run (the machine is shared).</summary>
    public static ModelSessionOptions Session(int concurrency = 2) => new()
    {
        IntraOpThreads = 1,
        InterOpThreads = 1,
        MaxConcurrency = concurrency,
        WarmupRuns = 1,
    };

    public static ModelStore NewStore(string stateDirectory, ModelSessionOptions? session = null) =>
        new(stateDirectory, Keys, session ?? Session(), NullLogger<ModelStore>.Instance, TimeProvider.System);

    /// <summary>The shipped shapes-dgcnn graph and spec, packed as <paramref name="version"/> with the dev key (a .geob when the output ends so).</summary>
    public static PackedBundle PackShapes(string output, string version, DateTimeOffset? created = null) =>
        Pack(Path.Combine(ShapesBundle, "model.onnx"), output, version, created);

    /// <summary>A validly signed shapes-dgcnn bundle whose graph is the sensor model: it verifies, and fails at Load.</summary>
    public static PackedBundle PackBroken(string output, string version) =>
        Pack(Path.Combine(Root.Value, "sensor-stgnn", "bundle", "model.onnx"), output, version, null);

    /// <summary>A validly signed shapes-dgcnn bundle whose graph (tests/fixtures/onnx/fault/first_point_gather.onnx) loads and
    /// passes the self-test, then throws inside ONNX Runtime's Run for every cloud whose first normalized point has x &gt; 0.5
    /// (see <see cref="FaultClouds"/>).</summary>
    public static PackedBundle PackFailing(string output, string version) =>
        Pack(Path.Combine(AppContext.BaseDirectory, "fixtures", "onnx", "fault", "first_point_gather.onnx"), output, version, null);

    /// <summary>A validly signed sensor-stgnn bundle whose graph (tests/fixtures/onnx/fault/last_sample_gather.onnx) throws inside
    /// ONNX Runtime's Run for a window whose last temp_r1 sample is above 30.4 °C, and otherwise flags temp_r3 alone.</summary>
    public static PackedBundle PackFailingSensor(string output, string version) =>
        Pack(Path.Combine(AppContext.BaseDirectory, "fixtures", "onnx", "fault", "last_sample_gather.onnx"), output, version, null, "sensor-stgnn");

    /// <summary>Entries a crash or a sloppy write could leave: '.'-named files and directories, *.tmp.</summary>
    public static List<string> Leftovers(string directory) =>
        [.. Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories)
            .Where(p => Path.GetFileName(p).StartsWith('.') || p.EndsWith(".tmp", StringComparison.Ordinal))];

    private static PackedBundle Pack(string onnx, string output, string version, DateTimeOffset? created, string specOf = Shapes)
    {
        JsonObject spec = JsonNode.Parse(File.ReadAllText(Path.Combine(Root.Value, specOf, "manifest-spec.json")))!.AsObject();
        spec["version"] = version;
        // The packer names the bundle's graph after its source file, and the spec expects model.onnx.
        string source = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, $"src-{Guid.NewGuid():N}");
        Directory.CreateDirectory(source);
        string model = Path.Combine(source, "model.onnx");
        File.Copy(onnx, model);
        try
        {
            using ECDsa key = BundleSigningKey.LoadPem(DevPrivateKey);
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(spec.ToJsonString());
            return BundlePacker.Pack(model, bytes, "manifest-spec.json", key, output, null, created is { } c ? new FixedClock(c) : null);
        }
        finally
        {
            Directory.Delete(source, recursive: true);
        }
    }

    private static string FindModelsDirectory()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "models");
            if (File.Exists(Path.Combine(candidate, "bundle-manifest.schema.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"no models/ folder above {AppContext.BaseDirectory}");
    }
}

/// <summary>A clock stuck at one instant, so two packs differ only where a test wants them to.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>A state directory holding shapes-dgcnn 1.0.0 (shipped, active) and 1.1.0 (packed from it, installed), under a temp directory.</summary>
internal sealed class TwoVersionStore : IDisposable
{
    public const string Next = "1.1.0";

    private readonly TempDirectory _temp = new();

    private TwoVersionStore()
    {
        StateDirectory = Path.Combine(_temp.Path, "state");
    }

    public string StateDirectory { get; }

    public string Scratch => _temp.Path;

    public static async Task<TwoVersionStore> CreateAsync(bool activate = true)
    {
        var store = new TwoVersionStore();
        PackedBundle next = StoreFixtures.PackShapes(Path.Combine(store.Scratch, "next"), Next);
        using ModelStore models = StoreFixtures.NewStore(store.StateDirectory);
        await models.InstallAsync(StoreFixtures.ShapesBundle);
        await models.InstallAsync(next.Path);
        if (activate)
        {
            ActivationResult result = await models.ActivateAsync(StoreFixtures.Shapes, StoreFixtures.ShippedVersion);
            Assert.True(result.Succeeded, result.ToString());
        }

        return store;
    }

    public string VersionDirectory(string version) => Path.Combine(StateDirectory, "models", StoreFixtures.Shapes, version);

    public string StateFile => Path.Combine(StateDirectory, "models", StoreFixtures.Shapes, "state.json");

    public void Dispose() => _temp.Dispose();
}
