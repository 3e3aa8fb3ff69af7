using System.Security.Cryptography;
using System.Text;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.ModelTool.Cli;

/// <summary>`geoedge-model keygen`: a new ECDSA P-256 signing key pair as PEM files.</summary>
internal static class KeygenCommand
{
    public static int Run(ReadOnlySpan<string> args, TextWriter stdout)
    {
        VerbArguments a = VerbArguments.Parse(args, ["--out", "--name"], []);
        a.ExpectPositional(0, "keygen --out DIR [--name NAME]");
        string directory = a.Required("--out", "DIR");
        string name = a.Single("--name") ?? "geoedge";
        if (name.Length == 0 || name.IndexOfAny(['/', '\\']) >= 0 || name.StartsWith('.'))
        {
            throw new UsageException($"--name must be a plain file name, got '{name}'");
        }

        Directory.CreateDirectory(directory);
        string privatePath = Path.Combine(directory, name + ".key.pem");
        string publicPath = Path.Combine(directory, name + ".pub.pem");
        using ECDsa key = BundleSigningKey.Generate();
        string keyId = BundleKeyId.Of(key);

        // The private key file is created 0600, so it is never readable by others, not even for a moment; an existing key is never overwritten.
        WriteNew(privatePath, key.ExportPkcs8PrivateKeyPem(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        WriteNew(publicPath, key.ExportSubjectPublicKeyInfoPem(), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        stdout.WriteLine($"private key: {privatePath}");
        stdout.WriteLine($"public key:  {publicPath}");
        stdout.WriteLine($"keyId:       {keyId}");
        return CommandLine.Ok;
    }

    private static void WriteNew(string path, string pem, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        using var stream = new FileStream(path, options);
        stream.Write(Encoding.ASCII.GetBytes(pem + "\n"));
        stream.Flush(flushToDisk: true);
    }
}
