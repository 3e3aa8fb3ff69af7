namespace GeoEdge.Host.Cli;

/// <summary>The `geoedge` command line: dispatches verbs and turns errors into one line and an exit code.</summary>
internal static class CommandLine
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    private const string UsageText = """
        usage: geoedge <verb> [options]

        verbs:
          cloud inspect FILE [--json]
          cloud convert IN OUT [--encoding ascii|binary|binary_compressed|binary_little_endian|binary_big_endian]
          cloud downsample IN OUT (--voxel SIZE | --fps COUNT)
          cloud denoise IN OUT --sor K,STD
          cloud knn IN --k K --out FILE.npy
          version
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            stdout.WriteLine(UsageText);
            return args.Length == 0 ? Usage : Ok;
        }

        switch (args[0])
        {
            case "version":
                stdout.WriteLine($"geoedge {typeof(CommandLine).Assembly.GetName().Version}");
                return Ok;
            default:
                stderr.WriteLine($"geoedge: unknown verb '{args[0]}' (try 'geoedge --help')");
                return Usage;
        }
    }
}
