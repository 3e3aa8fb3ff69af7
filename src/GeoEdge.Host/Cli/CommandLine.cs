using System.Security.Cryptography;
using GeoEdge.Geometry.IO;
using GeoEdge.Host.Configuration;
using GeoEdge.Host.Models;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Host.Cli;

/// <summary>The `geoedge` command line: dispatches verbs and turns every failure into one line and an exit code.</summary>
internal static class CommandLine
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    private const string UsageText = """
        usage: geoedge [<verb>] [options]

          run [--config FILE]     the device service (the default verb; FILE defaults to $GEOEDGE_CONFIG or /etc/geoedge/device.json)

          cloud inspect FILE [--json]
          cloud convert IN OUT [--encoding ascii|binary|binary_compressed|binary_little_endian|binary_big_endian] [--drop-nonfinite]
          cloud downsample IN OUT (--voxel SIZE | --fps COUNT [--seed N])
          cloud denoise IN OUT --sor K,STD
          cloud knn IN --k K --out FILE.npy
          models list --state DIR --keys PEM[,PEM...]
          models install BUNDLE --state DIR --keys PEM[,PEM...]
          models activate NAME VERSION --state DIR --keys PEM[,PEM...]
          models rollback NAME --state DIR --keys PEM[,PEM...]
          models list|install|activate|rollback ... --config FILE   (through the running service's endpoint when it runs)
          fleet status (--state DIR | --config FILE)   the fleet agent's enrolled id, last desired version, queues
          classify --bundle DIR --keys PEM[,PEM] FILE... [--top K] [--json]
          version

        FILE, IN: a PCD (ascii, binary, binary_compressed) or PLY (ascii, binary) file.
        BUNDLE: a signed bundle directory or .geob file; --keys: the trusted public keys (PEM files, comma-separated).
        models verbs work on DIR/models directly (service stopped); each first finishes or rolls back an interrupted activation.
        classify: verifies the bundle against the public keys, classifies each FILE; --json prints the label, top-K
          probabilities and raw logits in round-trip form (compare builds byte for byte); exit 1 if a cloud is rejected.
        OUT: .pcd or .ply, written atomically; encoding follows IN where the format allows.
        exit codes: 0 ok, 1 bad input or failure, 2 bad command line
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdout, stderr, Console.OpenStandardOutput);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Func<Stream> openStdout)
    {
        if (args.Length > 0 && args[0] is "-h" or "--help" or "help")
        {
            stdout.WriteLine(UsageText);
            return Ok;
        }

        try
        {
            switch (args.Length == 0 ? "run" : args[0])
            {
                case "version":
                    stdout.WriteLine($"geoedge {typeof(CommandLine).Assembly.GetName().Version}");
                    return Ok;
                case "run":
                    return RunCommand.Run(args.Length == 0 ? [] : args.AsSpan(1), stderr);
                case "--config":
                    return RunCommand.Run(args, stderr);
                case "cloud":
                    return CloudCommand.Run(args.AsSpan(1), stdout, openStdout);
                case "models":
                    return ModelsCommand.Run(args.AsSpan(1), stdout);
                case "fleet":
                    return FleetCommand.Run(args.AsSpan(1), stdout);
                case "classify":
                    return ClassifyCommand.Run(args.AsSpan(1), stdout, openStdout);
                default:
                    throw new UsageException($"unknown verb '{args[0]}' (try 'geoedge --help')");
            }
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"geoedge: {e.Message}");
            return Usage;
        }
        catch (PointCloudFormatException e)
        {
            stderr.WriteLine($"geoedge: {e.Message}");
            return Failure;
        }
        catch (NpyFormatException e)
        {
            stderr.WriteLine($"geoedge: {e.Message}");
            return Failure;
        }
        catch (Exception e) when (e is ModelServiceException or DeviceConfigException or BundleVerificationException or ModelStoreException or PipelineConfigurationException or CryptographicException)
        {
            stderr.WriteLine($"geoedge: {e.Message}");
            return Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            stderr.WriteLine($"geoedge: {e.Message}");
            return Failure;
        }
    }
}
