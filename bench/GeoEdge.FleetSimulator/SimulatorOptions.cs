using System.Globalization;

namespace GeoEdge.FleetSimulator;

/// <summary>The command line: <c>geoedge-fleet-sim [--devices N] [--minutes M] [--db sqlite|postgres] [--poll-seconds S]
/// [--window-seconds S] [--payload-kb K] [--postgres CONNECTION] [--rollout-at FRACTION] [--json PATH] [--root DIR] [--repo DIR]</c>.</summary>
internal sealed record SimulatorOptions
{
    public int Devices { get; init; } = 1000;

    public double Minutes { get; init; } = 5;

    /// <summary>sqlite (the server's embedded default) or postgres.</summary>
    public string Db { get; init; } = "sqlite";

    /// <summary>The polling interval the server suggests (shortened from the default 30 s for the bench).</summary>
    public int PollSeconds { get; init; } = 10;

    public int WindowSeconds { get; init; } = 10;

    /// <summary>Incompressible bytes added to the new bundle version (0 = the shipped bundle's own size, about 33 KB).</summary>
    public int PayloadKb { get; init; } = 1024;

    /// <summary>An existing PostgreSQL database (empty or a fleet schema); without it a private cluster is started.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>When the rollout starts, as a share of the steady run.</summary>
    public double RolloutAt { get; init; } = 0.3;

    /// <summary>Where the JSON report goes (besides the table on stdout).</summary>
    public string? JsonPath { get; init; }

    /// <summary>Temp root for the server's data and the devices' state directories (deleted afterwards).</summary>
    public string? Root { get; init; }

    /// <summary>The repository (models/, the dev keys); found from the working directory when not given.</summary>
    public string? Repository { get; init; }

    public static SimulatorOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SimulatorOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            options = name switch
            {
                "--devices" => options with { Devices = PositiveInt(name, Value()) },
                "--minutes" => options with { Minutes = PositiveDouble(name, Value()) },
                "--db" => options with { Db = Database(Value()) },
                "--poll-seconds" => options with { PollSeconds = PositiveInt(name, Value()) },
                "--window-seconds" => options with { WindowSeconds = PositiveInt(name, Value()) },
                "--payload-kb" => options with { PayloadKb = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out int kb) ? kb : throw new ArgumentException("--payload-kb is a whole number of KiB") },
                "--postgres" => options with { PostgresConnectionString = Value(), Db = "postgres" },
                "--rollout-at" => options with { RolloutAt = Math.Clamp(PositiveDouble(name, Value()), 0, 0.9) },
                "--json" => options with { JsonPath = Value() },
                "--root" => options with { Root = Value() },
                "--repo" => options with { Repository = Value() },
                _ => throw new ArgumentException($"unknown option '{name}'"),
            };
        }

        return options;
    }

    private static string Database(string text) => text is "sqlite" or "postgres" ? text : throw new ArgumentException($"--db '{text}' is not sqlite or postgres");

    private static int PositiveInt(string name, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : throw new ArgumentException($"{name} '{text}' is not a positive integer");

    private static double PositiveDouble(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x > 0 ? x : throw new ArgumentException($"{name} '{text}' is not a positive number");
}
