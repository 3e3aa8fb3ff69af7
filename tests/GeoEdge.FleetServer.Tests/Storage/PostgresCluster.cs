using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace GeoEdge.FleetServer.Tests.Storage;

/// <summary>A private, throwaway PostgreSQL cluster (Debian's binaries, a temp directory, a free 127.0.0.1 port) shared
/// by the tests of one collection; each test gets its own database.</summary>
/// <remarks>PostgreSQL refuses to run as root, so as root the cluster runs as the postgres OS user (runuser) and the temp
/// directory is handed to it. Missing binaries fail the tests with the fix, never skip them.</remarks>
public sealed class PostgresCluster : IAsyncLifetime
{
    private string _bin = string.Empty;
    private string _root = string.Empty;
    private string _dataDir = string.Empty;
    private bool _asPostgresUser;
    private int _databases;

    /// <summary>The TCP port the cluster listens on (127.0.0.1).</summary>
    public int Port { get; private set; }

    /// <summary>Connection string for a database named <paramref name="database"/>.</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Timeout=30;Command Timeout=60";

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        _bin = FindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): run ./build.sh test, which installs the Debian postgresql package");
        _asPostgresUser = Environment.UserName == "root";
        _root = Path.Combine(Path.GetTempPath(), "geoedge-pg-" + Guid.NewGuid().ToString("N")[..12]);
        _dataDir = Path.Combine(_root, "data");
        Directory.CreateDirectory(_root);
        if (_asPostgresUser)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _root]).ConfigureAwait(false);
        }

        await RunPostgresToolAsync("initdb", ["-D", _dataDir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]).ConfigureAwait(false);
        Port = FreePort();
        string options = string.Create(CultureInfo.InvariantCulture,
            $"-c listen_addresses=127.0.0.1 -c port={Port} -c unix_socket_directories={_root} -c fsync=off -c max_connections=200");
        await RunPostgresToolAsync("pg_ctl", ["-D", _dataDir, "-o", options, "-l", Path.Combine(_root, "log.txt"), "-w", "-t", "60", "start"]).ConfigureAwait(false);
    }

    /// <summary>Creates a fresh, empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        string name = "t" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..8];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return ConnectionString(name);
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (Directory.Exists(_dataDir))
        {
            try
            {
                await RunPostgresToolAsync("pg_ctl", ["-D", _dataDir, "-m", "immediate", "-w", "stop"]).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Already stopped (a failed start); the directory still goes.
            }
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
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
        if (!_asPostgresUser)
        {
            return RunAsync(path, arguments);
        }

        var all = new List<string> { "-u", "postgres", "--", path };
        all.AddRange(arguments);
        return RunAsync("runuser", all);
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

/// <summary>Test classes that need the PostgreSQL cluster share one through this collection.</summary>
[CollectionDefinition(Name)]
public sealed class DatabaseCollection : ICollectionFixture<PostgresCluster>
{
    /// <summary>The collection name.</summary>
    public const string Name = "databases";
}
