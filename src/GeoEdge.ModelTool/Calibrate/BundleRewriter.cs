using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.ModelTool.Calibrate;

/// <summary>Re-packs a verified bundle with changed manifest sections and a new signature (BundlePacker: staged, validated, atomic).</summary>
internal static class BundleRewriter
{
    /// <summary>Writes <paramref name="output"/>: <paramref name="bundle"/>'s files and manifest with <paramref name="edit"/> applied, signed with <paramref name="key"/>.</summary>
    /// <param name="model">When given, writes the new ONNX graph that replaces the bundle's model file (same file name).</param>
    /// <param name="files">Files to add, each replacing the bundle's file of the same name.</param>
    /// <param name="dropped">Names of the bundle's files to leave out (e.g. statistics the edit no longer refers to).</param>
    public static PackedBundle Rewrite(
        ModelBundle bundle, Action<JsonObject> edit, ECDsa key, string output, TimeProvider time, Action<Stream>? model = null,
        IReadOnlyList<string>? files = null, IReadOnlyCollection<string>? dropped = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(edit);
        string manifestPath = Path.Combine(bundle.Directory, BundleManifest.FileName);
        JsonObject spec = JsonNode.Parse(File.ReadAllBytes(manifestPath)) as JsonObject
            ?? throw new FormatException($"{manifestPath}: not a JSON object");
        foreach (string computed in (ReadOnlySpan<string>)["created", "model", "files"])
        {
            spec.Remove(computed);
        }

        edit(spec);
        files ??= [];
        var replaced = new HashSet<string>(files.Select(Path.GetFileName)!, StringComparer.OrdinalIgnoreCase);
        List<string> extra =
        [
            .. bundle.Manifest.Files.Keys.Where(f => f != bundle.Manifest.Model && !replaced.Contains(f) && dropped?.Contains(f) != true).Select(bundle.GetFilePath),
            .. files,
        ];
        if (bundle.Manifest.Files.Keys.Any(f => f.Contains('/', StringComparison.Ordinal)))
        {
            throw new NotSupportedException($"{bundle.Source}: files in subfolders cannot be re-packed yet (the packer names files by their file name)");
        }

        byte[] bytes = Encoding.UTF8.GetBytes(spec.ToJsonString());
        if (model is null)
        {
            return BundlePacker.Pack(bundle.ModelPath, bytes, $"{bundle.Source} (edited manifest)", key, output, extra, time);
        }

        // The packer names files by their file name, so the new graph is staged under the bundle's model name.
        string staging = Directory.CreateTempSubdirectory("geoedge-model-rewrite-").FullName;
        try
        {
            string modelPath = Path.Combine(staging, Path.GetFileName(bundle.Manifest.Model));
            Geometry.IO.AtomicFile.Write(modelPath, model);
            return BundlePacker.Pack(modelPath, bytes, $"{bundle.Source} (new model, edited manifest)", key, output, extra, time);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>A JSON matrix of rows (the manifest's "matrix" shape), numbers written shortest round-trip.</summary>
    public static JsonArray Matrix(IEnumerable<double[]> rows)
    {
        var array = new JsonArray();
        foreach (double[] row in rows)
        {
            var r = new JsonArray();
            foreach (double v in row)
            {
                r.Add((JsonNode)JsonValue.Create(v));
            }

            array.Add((JsonNode)r);
        }

        return array;
    }
}
