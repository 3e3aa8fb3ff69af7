using System.Runtime.InteropServices;
using System.Text.Json;
using GeoEdge.Geometry.IO;

namespace GeoEdge.Geometry.Tests.IO;

/// <summary>Locates the PCD fixtures (tests/fixtures, copied next to the test assembly) and compares a read file with its expected values.</summary>
internal static class PcdFixtures
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "fixtures");

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Every valid PCD fixture with an expected-values file, as "set/name.pcd".</summary>
    public static IEnumerable<string> Valid()
    {
        foreach (string set in (string[])["pcl", "open3d"])
        {
            // PCDs without expected values are inputs of other fixture generators (the PLY sources).
            foreach (string file in Directory.EnumerateFiles(Path.Combine(Root, set), "*.pcd").Order(StringComparer.Ordinal))
            {
                if (File.Exists(Path.ChangeExtension(file, ".expected.json")))
                {
                    yield return $"{set}/{Path.GetFileName(file)}";
                }
            }
        }
    }

    public static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));

    /// <summary>Asserts <paramref name="file"/> holds exactly what the fixture script recorded for <paramref name="relative"/>.</summary>
    public static void AssertMatchesExpected(string relative, PointCloudFile file)
    {
        string json = File.ReadAllText(Path.ChangeExtension(PathOf(relative), ".expected.json"));
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement e = doc.RootElement;
        PointCloud cloud = file.Cloud;

        Assert.Equal(PointCloudFormat.Pcd, file.Format);
        Assert.Equal(e.GetProperty("encoding").GetString(), PointCloudEncodings.Name(file.Encoding));
        Assert.Equal(e.GetProperty("version").GetString(), file.Version);
        Assert.Equal(e.GetProperty("width").GetInt32(), cloud.Width);
        Assert.Equal(e.GetProperty("height").GetInt32(), cloud.Height);
        double[] vp = [.. e.GetProperty("viewpoint").EnumerateArray().Select(v => v.GetDouble())];
        Assert.Equal(new Viewpoint(vp[0], vp[1], vp[2], vp[3], vp[4], vp[5], vp[6]), cloud.Viewpoint);

        string[] declared = [.. e.GetProperty("fields").EnumerateArray().Select(FieldText)];
        Assert.Equal(declared, file.Fields.Select(f => $"{f.Name}:{ScalarTypes.ShortName(f.Type)}:{f.Count}"));

        Assert.Equal(e.GetProperty("positions").GetString(), Convert.ToHexStringLower(MemoryMarshal.AsBytes(cloud.Positions.AsSpan())));
        JsonElement[] attributes = [.. e.GetProperty("attributes").EnumerateArray()];
        Assert.Equal(attributes.Select(FieldText), cloud.Attributes.Select(a => $"{a.Name}:{ScalarTypes.ShortName(a.Type)}:{a.Count}"));
        for (int i = 0; i < attributes.Length; i++)
        {
            Assert.Equal(attributes[i].GetProperty("hex").GetString(), Convert.ToHexStringLower(cloud.Attributes[i].Bytes));
        }
    }

    private static string FieldText(JsonElement f) =>
        $"{f.GetProperty("name").GetString()}:{f.GetProperty("type").GetString()}:{f.GetProperty("count").GetInt32()}";
}
