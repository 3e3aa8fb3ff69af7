namespace GeoEdge.Geometry.Tests;

/// <summary>Paths of the committed fixtures (tests/fixtures), copied beside the test assembly.</summary>
internal static class Fixtures
{
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, "fixtures", .. parts]);
}
