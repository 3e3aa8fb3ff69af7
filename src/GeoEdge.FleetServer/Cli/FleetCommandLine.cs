using System.Globalization;
using GeoEdge.FleetServer.Identity;
using GeoEdge.FleetServer.Server;
using GeoEdge.FleetServer.Storage;
using Microsoft.Extensions.Configuration;

namespace GeoEdge.FleetServer.Cli;

/// <summary>The geoedge-fleet command line: serve, and token create (operator or enrollment tokens straight into the database).</summary>
public static class FleetCommandLine
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        usage:
          geoedge-fleet serve --data DIR [--postgres CONNSTR] [--urls http://IP:PORT[;...]] [--device-url https://IP:PORT]
                              [--trusted-key PUB.pem]... [--config FILE.json]
          geoedge-fleet token create operator --data DIR [--postgres CONNSTR] --role viewer|operator|admin --name NAME
          geoedge-fleet token create enrollment --data DIR [--postgres CONNSTR] --fleet NAME [--expires-minutes 1440] [--max-uses 1]
        The first serve on an empty database prints an admin token once (also in DIR/bootstrap-admin.token).
        --config reads the "fleet" section of a JSON file (FleetServerOptions); flags override it.
        """;

    /// <summary>Runs the command; returns the process exit code (2 = usage error).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return args switch
            {
                ["serve", .. var rest] => await ServeAsync(Flags.Parse(rest), output).ConfigureAwait(false),
                ["token", "create", "operator", .. var rest] => await CreateOperatorTokenAsync(Flags.Parse(rest), output).ConfigureAwait(false),
                ["token", "create", "enrollment", .. var rest] => await CreateEnrollmentTokenAsync(Flags.Parse(rest), output).ConfigureAwait(false),
                _ => UsageError(error, args.Length == 0 ? "no command" : $"unknown command '{string.Join(' ', args)}'"),
            };
        }
        catch (ArgumentException e)
        {
            return UsageError(error, e.Message);
        }
    }

    private static async Task<int> ServeAsync(Flags flags, TextWriter output)
    {
        var options = new FleetServerOptions();
        if (flags.One("config") is { } config)
        {
            new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(config), optional: false).Build().GetSection("fleet").Bind(options);
        }

        options.DataDirectory = flags.One("data") ?? (options.DataDirectory.Length > 0 ? options.DataDirectory : throw new ArgumentException("--data DIR is required"));
        options.PostgresConnectionString = flags.One("postgres") ?? options.PostgresConnectionString;
        options.Urls = flags.One("urls") ?? options.Urls;
        options.DeviceUrl = flags.One("device-url") ?? options.DeviceUrl;
        options.TrustedKeyFiles.AddRange(flags.All("trusted-key"));
        flags.RequireAllUsed();
        await using FleetServerApp app = await FleetServerApp.CreateAsync(options).ConfigureAwait(false);
        if (app.BootstrapAdminToken is { } token)
        {
            await output.WriteLineAsync($"bootstrap admin token (shown once; also in {Path.Combine(options.DataDirectory, FleetServerApp.BootstrapTokenFileName)}): {token}").ConfigureAwait(false);
        }

        await app.StartAsync().ConfigureAwait(false);
        await output.WriteLineAsync($"geoedge-fleet listening on {app.ApiAddress}{(app.DeviceAddress is null ? string.Empty : $" and {app.DeviceAddress} (mutual TLS)")}").ConfigureAwait(false);
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> CreateOperatorTokenAsync(Flags flags, TextWriter output)
    {
        string roleName = flags.One("role") ?? throw new ArgumentException("--role viewer|operator|admin is required");
        if (!OperatorRoles.TryParse(roleName, out OperatorRole role))
        {
            throw new ArgumentException($"--role '{roleName}' is not viewer, operator or admin");
        }

        string name = flags.One("name") ?? throw new ArgumentException("--name is required");
        await using FleetStore store = await OpenStoreAsync(flags).ConfigureAwait(false);
        (_, string secret) = await store.OperatorTokens.CreateAsync(name, role, CancellationToken.None).ConfigureAwait(false);
        await output.WriteLineAsync(secret).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> CreateEnrollmentTokenAsync(Flags flags, TextWriter output)
    {
        string fleet = flags.One("fleet") ?? throw new ArgumentException("--fleet is required");
        int minutes = flags.Int("expires-minutes", 1440);
        int uses = flags.Int("max-uses", 1);
        await using FleetStore store = await OpenStoreAsync(flags).ConfigureAwait(false);
        CreatedToken token = await store.EnrollmentTokens.CreateAsync(fleet, TimeSpan.FromMinutes(minutes), uses, CancellationToken.None).ConfigureAwait(false);
        await output.WriteLineAsync(token.Secret).ConfigureAwait(false);
        return 0;
    }

    private static Task<FleetStore> OpenStoreAsync(Flags flags)
    {
        string data = flags.One("data") ?? throw new ArgumentException("--data DIR is required");
        string? postgres = flags.One("postgres");
        flags.RequireAllUsed();
        Directory.CreateDirectory(data);
        FleetDatabase database = postgres is { Length: > 0 } ? FleetDatabase.OpenPostgres(postgres) : FleetDatabase.OpenSqlite(Path.Combine(data, FleetDatabase.SqliteFileName));
        return FleetStore.OpenAsync(database, TimeProvider.System, CancellationToken.None);
    }

    private static int UsageError(TextWriter error, string message)
    {
        error.WriteLine($"geoedge-fleet: {message}");
        error.WriteLine(Usage);
        return 2;
    }

    /// <summary>"--name value" pairs; a flag may repeat; every flag given must be one the command reads.</summary>
    private sealed class Flags
    {
        private readonly List<(string Name, string Value)> _pairs = [];
        private readonly HashSet<string> _used = new(StringComparer.Ordinal);

        public static Flags Parse(ReadOnlySpan<string> args)
        {
            var flags = new Flags();
            for (int i = 0; i < args.Length; i += 2)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                {
                    throw new ArgumentException($"expected '--flag value' at '{args[i]}'");
                }

                flags._pairs.Add((args[i][2..], args[i + 1]));
            }

            return flags;
        }

        public string? One(string name)
        {
            _used.Add(name);
            string? found = null;
            foreach ((string n, string v) in _pairs)
            {
                if (n == name)
                {
                    found = found is null ? v : throw new ArgumentException($"--{name} given twice");
                }
            }

            return found;
        }

        public List<string> All(string name)
        {
            _used.Add(name);
            return _pairs.FindAll(p => p.Name == name).ConvertAll(p => p.Value);
        }

        public int Int(string name, int fallback)
        {
            string? text = One(name);
            return text is null ? fallback
                : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0 ? value
                : throw new ArgumentException($"--{name} '{text}' is not a positive integer");
        }

        public void RequireAllUsed()
        {
            foreach ((string name, _) in _pairs)
            {
                if (!_used.Contains(name))
                {
                    throw new ArgumentException($"unknown flag --{name}");
                }
            }
        }
    }
}
