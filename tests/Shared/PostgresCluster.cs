using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace GeoEdge.Testing;

/// <summary>A private, throwaway PostgreSQL cluster: Debian's server binaries (build.sh's need_test_postgres installs
/// them), a directory of its own, a free 127.0.0.1 port; each user gets its own database.</summary>
/// <remarks>One implementation for the server tests, the integration tests (both as an xunit collection fixture, see
/// PostgresCluster.Xunit.cs) and the fleet simulator (<see cref="StartAsync(string, bool, int?)"/>). PostgreSQL refuses
/// to run as root, so as root the cluster runs as the postgres OS user (runuser) and its directory is handed to it.
/// Missing binaries are an exception that names the fix, never a skip.</remarks>
public sealed partial class PostgresCluster : IAsyncDisposable
{
    private readonly string _root;
    private readonly string _dataDir;
    private readonly bool _durable;
    private readonly int? _maxPoolSize;
    private readonly bool _asPostgresUser = Environment.UserName == "root";
    private string _bin = string.Empty;
    private int _databases;
    private bool _disposed;

    /// <param name="root">The cluster's directory (created; deleted on dispose).</param>
    /// <param name="durable">False for tests: no fsync at initdb or at run time. True for the benchmark: PostgreSQL's
    /// durability defaults stay on, so it measures what a deployment would pay.</param>
    /// <param name="maxPoolSize">Npgsql's pool size per connection string; null = Npgsql's default (100).</param>
    private PostgresCluster(string root, bool durable, int? maxPoolSize)
    {
        _root = root;
        _dataDir = Path.Combine(root, "data");
        _durable = durable;
        _maxPoolSize = maxPoolSize;
    }

    /// <summary>The TCP port the cluster listens on (127.0.0.1), once started.</summary>
    public int Port { get; private set; }

    /// <summary>Initializes and starts a cluster under <paramref name="root"/>; returns it once it accepts connections.</summary>
    public static async Task<PostgresCluster> StartAsync(string root, bool durable, int? maxPoolSize = null)
    {
        var cluster = new PostgresCluster(root, durable, maxPoolSize);
        await cluster.StartAsync().ConfigureAwait(false);
        return cluster;
    }

    /// <summary>Connection string for a database named <paramref name="database"/>.</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;"
        + (_maxPoolSize is { } pool ? string.Create(CultureInfo.InvariantCulture, $"Maximum Pool Size={pool};") : string.Empty)
        + "Timeout=30;Command Timeout=60";

    /// <summary>Creates an empty database (named <paramref name="name"/>, or a fresh unique name) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "t" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return ConnectionString(name);
    }

    /// <summary>Stops the cluster and deletes its directory (once; later calls do nothing).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        NpgsqlConnection.ClearAllPools();
        if (Directory.Exists(_dataDir))
        {
            try
            {
                // A test cluster's data is thrown away: no shutdown checkpoint is worth waiting for.
                await RunPostgresToolAsync("pg_ctl", ["-D", _dataDir, "-m", _durable ? "fast" : "immediate", "-w", "stop"]).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Not running (a failed start): the directory still goes.
            }
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private async Task StartAsync()
    {
        _bin = FindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): install the Debian postgresql package (./build.sh test does)");
        Directory.CreateDirectory(_root);
        if (_asPostgresUser)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _root]).ConfigureAwait(false);
        }

        List<string> initdb = ["-D", _dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8"];
        if (!_durable)
        {
            initdb.Add("--no-sync");
        }

        await RunPostgresToolAsync("initdb", initdb).ConfigureAwait(false);
        Port = FreePort();
        string options = string.Create(CultureInfo.InvariantCulture,
            $"-c listen_addresses=127.0.0.1 -c port={Port} -c unix_socket_directories={_root} -c max_connections=200{(_durable ? string.Empty : " -c fsync=off")}");
        await RunPostgresToolAsync("pg_ctl", ["-D", _dataDir, "-o", options, "-l", Path.Combine(_root, "log.txt"), "-w", "-t", "120", "start"]).ConfigureAwait(false);
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

    private Task RunPostgresToolAsync(string tool, IReadOnlyList<string> arguments)
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
