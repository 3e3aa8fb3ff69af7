using System.Security.Cryptography;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.ModelTool.Cli;

/// <summary>`geoedge-model pack`: ONNX file + manifest spec + signing key → signed bundle directory or .geob.</summary>
internal static class PackCommand
{
    public static int Run(ReadOnlySpan<string> args, TextWriter stdout, TimeProvider time)
    {
        VerbArguments a = VerbArguments.Parse(args, ["--spec", "--key", "--out", "--file"], []);
        a.ExpectPositional(1, "pack MODEL.onnx --spec SPEC.json --key KEY.pem --out OUT [--file EXTRA ...]");
        string spec = a.Required("--spec", "SPEC.json");
        string keyPath = a.Required("--key", "KEY.pem");
        string output = a.Required("--out", "OUT(.geob|DIR)");
        using ECDsa key = BundleSigningKey.LoadPem(keyPath);
        PackedBundle packed = BundlePacker.Pack(a.Positional[0], spec, key, output, a.All("--file"), time);
        BundleManifest m = packed.Manifest;
        stdout.WriteLine($"packed:      {packed.Path}");
        stdout.WriteLine($"model:       {m.Name} {m.Version} ({m.Task})");
        stdout.WriteLine($"files:       {m.Files.Count} ({string.Join(", ", m.Files.Keys)})");
        stdout.WriteLine($"manifest:    sha256 {packed.ManifestSha256}");
        stdout.WriteLine($"signed by:   {packed.KeyId}");
        return CommandLine.Ok;
    }
}
