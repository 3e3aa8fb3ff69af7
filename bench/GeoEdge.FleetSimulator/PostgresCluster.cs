using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace GeoEdge.FleetSimulator;

/// <summary>A private, throwaway PostgreSQL cluster for one run (Debian's binaries, a temp directory, a free 127.0.0.1
/// port), the server tests' approach with PostgreSQL's durability defaults left on (fsync, synchronous_commit): the
/// benchmark measures what a deployment would pay. As root the cluster runs as the postgres OS user.</summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _root;
    private readonly string _dataDir;
    private readonly bool _asPostgresUser = Environment.UserName == "root";

    private PostgresCluster(string bin, string root)
    {
        _bin = bin;
        _root = root;
        _dataDir = Path.Combine(root, "data");
    }

    public int Port { get; private set; }

    /// <summary>Initializes and starts a cluster under <paramref name="root"/>; returns it once it accepts connections.</summary>
    public static async Task<PostgresCluster> StartAsync(string root)
    {
        string bin = FindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): install the Debian postgresql package (./build.sh test does)");
        var cluster = new PostgresCluster(bin, root);
        await cluster.InitAsync().ConfigureAwait(false);
        return cluster;
    }

    /// <summary>Creates an empty database and returns its connection string (pool sized for the server's handlers).</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunToolAsync("pg_ctl", ["-D", _dataDir, "-m", "fast", "-w", "stop"]).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Not running (a failed start): the directory still goes.
        }

        Directory.Delete(_root, recursive: true);
    }

    private string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=90;Timeout=30;Command Timeout=60";

    private async Task InitAsync()
    {
        Directory.CreateDirectory(_root);
        if (_asPostgresUser)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _root]).ConfigureAwait(false);
        }

        await RunToolAsync("initdb", ["-D", _dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8"]).ConfigureAwait(false);
        Port = FreePort();
        string options = string.Create(CultureInfo.InvariantCulture,
            $"-c listen_addresses=127.0.0.1 -c port={Port} -c unix_socket_directories={_root} -c max_connections=200");
        await RunToolAsync("pg_ctl", ["-D", _dataDir, "-o", options, "-l", Path.Combine(_root, "log.txt"), "-w", "-t", "120", "start"]).ConfigureAwait(false);
    }

    private static string? FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        string[] versions = Directory.GetDirectories(root);
        Array.Sort(versions, StringComparer.Ordinal);
        for (int i = versions.Length - 1; i >= 0; i--)
        {
            string bin = Path.Combine(versions[i], "bin");
            if (File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
            {
                return bin;
            }
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments)
    {
        string path = Path.Combine(_bin, tool);
        return _asPostgresUser ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments]) : RunAsync(path, arguments);
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {fileName}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr.ConfigureAwait(false)}{await stdout.ConfigureAwait(false)}");
        }
    }
}
