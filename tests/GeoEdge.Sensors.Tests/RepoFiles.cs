namespace GeoEdge.Sensors.Tests;

/// <summary>Paths of committed repository files (shipped samples), found by walking up to GeoEdge.sln.</summary>
internal static class RepoFiles
{
    public static string Path(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "GeoEdge.sln")))
            {
                return System.IO.Path.Combine([dir.FullName, .. parts]);
            }
        }

        throw new DirectoryNotFoundException($"no GeoEdge.sln above {AppContext.BaseDirectory}");
    }
}
