using GeoEdge.Inference.Bundles;

namespace GeoEdge.ModelTool.Cli;

/// <summary>`geoedge-model verify-bundle`: runs the device's checks on a bundle and prints what passed.</summary>
internal static class VerifyBundleCommand
{
    public static int Run(ReadOnlySpan<string> args, TextWriter stdout)
    {
        VerbArguments a = VerbArguments.Parse(args, ["--trusted"], ["--allow-unsigned"]);
        a.ExpectPositional(1, "verify-bundle BUNDLE (--trusted PUB.pem ... | --allow-unsigned)");
        bool allowUnsigned = a.Has("--allow-unsigned");
        IReadOnlyList<string> trusted = a.All("--trusted");
        if (trusted.Count == 0 && !allowUnsigned)
        {
            throw new UsageException("give at least one --trusted PUB.pem (or --allow-unsigned for an unsigned development bundle)");
        }

        TrustedKeys keys = TrustedKeys.FromPemFiles(trusted);
        using ModelBundle bundle = ModelBundle.Open(a.Positional[0], keys, new BundleOpenOptions { AllowUnsigned = allowUnsigned });
        BundleManifest m = bundle.Manifest;
        long bytes = 0;
        foreach (BundleFile file in m.Files.Values)
        {
            bytes += file.Size;
        }

        stdout.WriteLine($"bundle:      {bundle.Source}");
        stdout.WriteLine($"model:       {m.Name} {m.Version} ({m.Task}), graph {m.Model}");
        stdout.WriteLine($"ok manifest: parsed, schema valid, sha256 {bundle.ManifestSha256}");
        stdout.WriteLine(bundle.SignerKeyId is { } keyId
            ? $"ok signature: {BundleSignature.EcdsaP256Sha256} by trusted key {keyId}"
            : "UNSIGNED:    no manifest.sig (accepted only because of --allow-unsigned)");
        stdout.WriteLine($"ok files:    {m.Files.Count} file(s), {bytes} bytes, sizes and SHA-256 match");
        stdout.WriteLine("ok contents: no unlisted files");
        return CommandLine.Ok;
    }
}
