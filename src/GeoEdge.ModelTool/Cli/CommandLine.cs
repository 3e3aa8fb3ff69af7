using System.Security.Cryptography;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.ModelTool.Cli;

/// <summary>The `geoedge-model` command line: dispatches verbs and turns every failure into one line and an exit code.</summary>
internal static class CommandLine
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    private const string UsageText = """
        usage: geoedge-model <verb> [options]

          keygen --out DIR [--name NAME]
          pack MODEL.onnx --spec SPEC.json --key KEY.pem --out OUT(.geob|DIR) [--file EXTRA ...]
          verify-bundle BUNDLE (--trusted PUB.pem ... | --allow-unsigned)
          version

        keygen: NAME.key.pem (PKCS#8 private key, mode 0600) and NAME.pub.pem (ECDSA P-256); prints the key id.
        pack: the manifest spec is manifest.json without created, model and files (models/README.md).
        verify-bundle: the checks a device runs before loading; --allow-unsigned is the developer switch.
        exit codes: 0 ok, 1 bad input or failed check, 2 bad command line
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdout, stderr, TimeProvider.System);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            stdout.WriteLine(UsageText);
            return args.Length == 0 ? Usage : Ok;
        }

        try
        {
            ReadOnlySpan<string> rest = args.AsSpan(1);
            return args[0] switch
            {
                "version" => Version(stdout),
                "keygen" => KeygenCommand.Run(rest, stdout),
                "pack" => PackCommand.Run(rest, stdout, time),
                "verify-bundle" => VerifyBundleCommand.Run(rest, stdout),
                _ => throw new UsageException($"unknown verb '{args[0]}' (try 'geoedge-model --help')"),
            };
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"geoedge-model: {e.Message}");
            return Usage;
        }
        catch (BundleVerificationException e)
        {
            stderr.WriteLine($"geoedge-model: verification failed: {e.Message}");
            return Failure;
        }
        catch (Exception e) when (e is BundleSpecException or CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            stderr.WriteLine($"geoedge-model: {e.Message}");
            return Failure;
        }
    }

    private static int Version(TextWriter stdout)
    {
        stdout.WriteLine($"geoedge-model {typeof(CommandLine).Assembly.GetName().Version}");
        return Ok;
    }
}
