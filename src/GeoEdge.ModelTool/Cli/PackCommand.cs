using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GeoEdge.Inference.Bundles;
using GeoEdge.ModelTool.Datasets;

namespace GeoEdge.ModelTool.Cli;

/// <summary>`geoedge-model pack`: ONNX file + manifest spec + signing key → signed bundle directory or .geob.</summary>
internal static class PackCommand
{
    public static int Run(ReadOnlySpan<string> args, TextWriter stdout, TimeProvider time)
    {
        VerbArguments a = VerbArguments.Parse(args, ["--spec", "--key", "--out", "--file", "--split"], []);
        a.ExpectPositional(1, "pack MODEL.onnx --spec SPEC.json --key KEY.pem --out OUT [--file EXTRA ...] [--split NAME=DATA.npz ...]");
        string spec = a.Required("--spec", "SPEC.json");
        string keyPath = a.Required("--key", "KEY.pem");
        string output = a.Required("--out", "OUT(.geob|DIR)");
        using ECDsa key = BundleSigningKey.LoadPem(keyPath);
        byte[] specBytes = a.All("--split").Count == 0 ? File.ReadAllBytes(spec) : WithSplits(spec, a.All("--split"));
        SpecInputCheck.Check(a.Positional[0], specBytes, spec);
        PackedBundle packed = BundlePacker.Pack(a.Positional[0], specBytes, spec, key, output, a.All("--file"), time);
        BundleManifest m = packed.Manifest;
        stdout.WriteLine($"packed:      {packed.Path}");
        stdout.WriteLine($"model:       {m.Name} {m.Version} ({m.Task})");
        stdout.WriteLine($"files:       {m.Files.Count} ({string.Join(", ", m.Files.Keys)})");
        stdout.WriteLine($"manifest:    sha256 {packed.ManifestSha256}");
        stdout.WriteLine($"signed by:   {packed.KeyId}");
        return CommandLine.Ok;
    }

    /// <summary>The spec with its dataset card filled from the named splits (SHA-256, sizes, class balance).</summary>
    private static byte[] WithSplits(string specPath, IReadOnlyList<string> splits)
    {
        JsonObject spec = JsonNode.Parse(File.ReadAllBytes(specPath)) as JsonObject ?? throw new FormatException($"{specPath}: not a JSON object");
        var parsed = new List<DatasetSplit>();
        foreach (string split in splits)
        {
            int eq = split.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == split.Length - 1)
            {
                throw new UsageException($"--split takes NAME=DATA.npz, got '{split}'");
            }

            parsed.Add(new DatasetSplit(split[..eq], split[(eq + 1)..]));
        }

        DatasetCardEditor.AddSplits(spec, parsed);
        return Encoding.UTF8.GetBytes(spec.ToJsonString());
    }
}
