namespace GeoEdge.Host.Tests;

/// <summary>Files committed in the repository (shipped models, fixtures, deploy/), read where they are.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> RootDirectory = new(FindRoot);

    public static string Root => RootDirectory.Value;

    public static string ShapesBundle => Path(Root, "models", "shapes-dgcnn", "bundle");

    public static string ShapesReference => Path(Root, "models", "shapes-dgcnn", "reference.npz");

    public static string DevPublicKey => Path(Root, "models", "dev-keys", "geoedge-dev.pub.pem");

    public static string Path(params string[] parts) => System.IO.Path.Combine(parts);

    // Tests run from tests/<project>/bin/<config>/<tfm>/: the root is found by walking up to the shipped models.
    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "models", "bundle-manifest.schema.json")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no repository root (models/bundle-manifest.schema.json) above {AppContext.BaseDirectory}");
    }
}
