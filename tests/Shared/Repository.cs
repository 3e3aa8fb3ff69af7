namespace GeoEdge.Testing;

/// <summary>The checkout the tests run from: device-configs/, models/ and deploy/ are read where they are committed (linked into every test project that reads them).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "GeoEdge.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no GeoEdge.sln above {AppContext.BaseDirectory}");
    }
}
