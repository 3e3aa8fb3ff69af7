namespace GeoEdge.Host.Models;

/// <summary>Paths of the model store under the state directory: models/&lt;name&gt;/&lt;version&gt;/ and models/&lt;name&gt;/state.json.</summary>
/// <remarks>Every temporary entry the store creates starts with '.', so recovery can find and delete what a crash left.</remarks>
internal sealed class StoreLayout
{
    public const string StateFileName = "state.json";

    public StoreLayout(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        Root = Path.Combine(Path.GetFullPath(stateDirectory), "models");
    }

    /// <summary>&lt;state&gt;/models.</summary>
    public string Root { get; }

    /// <summary>Where .geob archives are extracted while they are verified.</summary>
    public string Staging => Path.Combine(Root, ".staging");

    public string ModelDirectory(string name) => Path.Combine(Root, RequireSafe(name, "model name"));

    public string VersionDirectory(string name, string version) => Path.Combine(ModelDirectory(name), RequireSafe(version, "version"));

    public string StateFile(string name) => Path.Combine(ModelDirectory(name), StateFileName);

    public string NewTempDirectory(string name) => Path.Combine(ModelDirectory(name), $".tmp-{Guid.NewGuid():N}");

    public static bool IsTemporary(string entryName) => entryName.StartsWith('.');

    /// <summary>Model names and versions become path segments; the manifest schema already restricts them, this guards the CLI.</summary>
    private static string RequireSafe(string segment, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(segment);
        if (segment.StartsWith('.') || segment.AsSpan().IndexOfAny(['/', '\\', '\0']) >= 0 || segment.Length > 128)
        {
            throw new ArgumentException($"'{segment}' is not a valid {what} (no path separators, not starting with '.')", what);
        }

        return segment;
    }
}
