using System.IO.Compression;
using System.Text.Json;
using GeoEdge.Geometry.IO;

namespace GeoEdge.Inference.Tests.Models;

/// <summary>The models shipped in the repository's models/ folder, read in place (a retrained model needs no test edit).</summary>
internal static class ShippedModels
{
    public const string Shapes = "shapes-dgcnn";
    public const string Sensors = "sensor-stgnn";

    private static readonly Lazy<string> Root = new(FindModelsDirectory);

    public static string Directory(string model) => Path.Combine(Root.Value, model);

    public static string File(string model, params string[] parts) => Path.Combine([Directory(model), .. parts]);

    /// <summary>The signed bundle directory the model ships as.</summary>
    public static string Bundle(string model) => File(model, "bundle");

    /// <summary>The ONNX graph inside the shipped bundle (the only copy kept in the repository).</summary>
    public static string Onnx(string model) => File(model, "bundle", "model.onnx");

    public static string DevPublicKey => Path.Combine(Root.Value, "dev-keys", "geoedge-dev.pub.pem");

    public static JsonElement TrainingReport(string model)
    {
        using JsonDocument doc = JsonDocument.Parse(System.IO.File.ReadAllBytes(File(model, "training-report.json")));
        return doc.RootElement.Clone();
    }

    /// <summary>Reads the named arrays of an .npz; other entries (e.g. uint8 masks, which NpyArray does not hold) are skipped.</summary>
    public static Dictionary<string, NpyArray> ReadNpz(string path, params string[] names)
    {
        var arrays = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        using ZipArchive zip = ZipFile.OpenRead(path);
        foreach (string name in names)
        {
            ZipArchiveEntry entry = zip.GetEntry(name + ".npy") ?? throw new KeyNotFoundException($"{path} has no array '{name}'");
            using Stream content = entry.Open();
            using var buffer = new MemoryStream();
            content.CopyTo(buffer);
            buffer.Position = 0;
            arrays[name] = NpyFile.Read(buffer, $"{path}:{name}");
        }

        return arrays;
    }

    // Tests run from tests/<project>/bin/<config>/<tfm>/; models/ is found by walking up, so the shipped files are read
    // where they are committed instead of being copied beside every test assembly.
    private static string FindModelsDirectory()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "models");
            if (System.IO.File.Exists(Path.Combine(candidate, "bundle-manifest.schema.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"no models/ folder above {AppContext.BaseDirectory}");
    }
}
