using System.Globalization;
using System.Reflection;

namespace GeoEdge.FleetServer.Storage;

/// <summary>The schema migrations compiled into the server: Storage/Migrations/NNNN_name.sql, embedded, in number order.</summary>
/// <remarks>Adding a migration is adding one file (the csproj embeds the folder). Manifest resources need no reflection
/// over types, so this stays trim-safe.</remarks>
public static class MigrationCatalog
{
    private const string ResourcePrefix = "GeoEdge.FleetServer.Storage.Migrations.";

    /// <summary>All migrations, checked to be numbered 1..N without gaps or duplicates.</summary>
    public static IReadOnlyList<Migration> All { get; } = Load();

    /// <summary>The schema version this build of the server creates and understands.</summary>
    public static int LatestVersion => All.Count == 0 ? 0 : All[^1].Version;

    /// <summary>Parses "0002_rollouts.sql" into (2, "rollouts").</summary>
    internal static (int Version, string Name) ParseFileName(string fileName)
    {
        int underscore = fileName.IndexOf('_', StringComparison.Ordinal);
        if (underscore <= 0 || !fileName.EndsWith(".sql", StringComparison.Ordinal)
            || !int.TryParse(fileName.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out int version))
        {
            throw new InvalidOperationException($"migration resource '{fileName}': expected NNNN_name.sql");
        }

        return (version, fileName[(underscore + 1)..^4]);
    }

    private static List<Migration> Load()
    {
        Assembly assembly = typeof(MigrationCatalog).Assembly;
        var migrations = new List<Migration>();
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            (int version, string name) = ParseFileName(resource[ResourcePrefix.Length..]);
            using Stream stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"migration resource '{resource}' cannot be read");
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(version, name, reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (int i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"migration '{migrations[i].Name}' has number {migrations[i].Version}, expected {i + 1} (numbers run 1..N without gaps)");
            }
        }

        return migrations;
    }
}
