using System.Globalization;
using System.Text.Json;
using GeoEdge.Geometry.IO;

namespace GeoEdge.Geometry.Tests.IO;

/// <summary>Every PLY fixture (Open3D, PCL, handmade) against the values its generator put in.</summary>
[Trait("Category", "Unit")]
public sealed class PlyFixtureTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "fixtures");

    public static TheoryData<string> Fixtures() => new(FixtureNames());

    private static List<string> FixtureNames()
    {
        var names = new List<string>();
        foreach (string set in new[] { "open3d", "pcl", "handmade" })
        {
            string dir = Path.Combine(Root, set);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            // The PCD fixtures share these folders; only a .ply beside its expected values is ours.
            foreach (string json in Directory.GetFiles(dir, "*.expected.json").Order(StringComparer.Ordinal))
            {
                string stem = Path.GetFileName(json)[..^".expected.json".Length];
                if (File.Exists(Path.Combine(dir, stem + ".ply")))
                {
                    names.Add($"{set}/{stem}");
                }
            }
        }

        return names;
    }

    [Fact]
    public void The_fixture_sets_are_all_there()
    {
        var names = FixtureNames().ToHashSet();

        Assert.Contains("open3d/bunny_like_ascii", names);
        Assert.Contains("open3d/mesh_binary", names);
        Assert.Contains("pcl/pcd2ply_binary", names);
        Assert.Contains("pcl/converter_ascii", names);
        Assert.Contains("handmade/mixed_big_endian", names);
        Assert.Equal(16, names.Count);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Reads_the_exact_values_the_generator_wrote(string name)
    {
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, name + ".expected.json")));
        JsonElement e = expected.RootElement;

        PointCloudFile file = PlyReader.Read(Path.Combine(Root, name + ".ply"));

        Assert.Equal(PointCloudFormat.Ply, file.Format);
        Assert.Equal(e.GetProperty("encoding").GetString(), file.Encoding.ToString());
        Assert.Equal(e.GetProperty("version").GetString(), file.Version);
        Assert.Equal(e.GetProperty("fields").EnumerateArray().Select(f => f.GetString()), file.Fields.Select(f => f.ToString()));
        Assert.Equal(e.GetProperty("width").GetInt32(), file.Cloud.Width);
        Assert.Equal(e.GetProperty("height").GetInt32(), file.Cloud.Height);
        JsonElement[] points = [.. e.GetProperty("positions").EnumerateArray()];
        Assert.Equal(points.Length, file.Cloud.Count);
        for (int i = 0; i < points.Length; i++)
        {
            for (int axis = 0; axis < 3; axis++)
            {
                PlyAssert.Same((float)Number(points[i][axis]), file.Cloud.Positions[(i * 3) + axis], $"{name} point {i} axis {axis}");
            }
        }

        JsonProperty[] attributes = [.. e.GetProperty("attributes").EnumerateObject()];
        Assert.Equal(attributes.Select(a => a.Name), file.Cloud.Attributes.Select(a => a.Name));
        foreach (JsonProperty attribute in attributes)
        {
            AttributeChannel channel = file.Cloud.FindAttribute(attribute.Name)!;
            JsonElement[] values = [.. attribute.Value.EnumerateArray()];
            Assert.Equal(1, channel.Count);
            Assert.Equal(values.Length, channel.PointCount);
            for (int i = 0; i < values.Length; i++)
            {
                AssertValue(Number(values[i]), channel, i, $"{name} {attribute.Name}[{i}]");
            }
        }
    }

    [Fact]
    public void Reading_a_stream_gives_the_same_cloud_as_reading_the_path()
    {
        string path = Path.Combine(Root, "handmade", "mixed_big_endian.ply");
        using Stream stream = PlyAssert.ForwardOnly(File.ReadAllBytes(path));

        PointCloudFile fromPath = PlyReader.Read(path);
        PointCloudFile fromStream = PlyReader.Read(stream, "mixed.ply");

        PlyAssert.SameCloud(fromPath.Cloud, fromStream.Cloud);
        Assert.Equal(fromPath.Fields, fromStream.Fields);
    }

    [Fact]
    public void Pcl_organized_file_lists_its_range_grid_after_the_vertices_and_stays_unorganized_without_its_nan_point()
    {
        // PCL drops the NaN point, so 5 vertices no longer fill num_cols 3 x num_rows 2.
        PointCloudFile file = PlyReader.Read(Path.Combine(Root, "pcl", "pcd2ply_organized_binary.ply"));

        Assert.False(file.Cloud.IsOrganized);
        Assert.Equal(4000000000u, file.Cloud.FindAttribute("label")!.AsSpan<uint>()[4]);
    }

    private static double Number(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? double.Parse(value.GetString()!, CultureInfo.InvariantCulture)
        : value.GetDouble();

    private static void AssertValue(double expected, AttributeChannel channel, int i, string what)
    {
        switch (channel.Type)
        {
            case ScalarType.Float32:
                PlyAssert.Same((float)expected, channel.AsSpan<float>()[i], what);
                break;
            case ScalarType.Float64:
                PlyAssert.Same(expected, channel.AsSpan<double>()[i], what);
                break;
            default:
                Assert.True(expected == channel.GetDouble(i), $"{what}: expected {expected}, got {channel.GetDouble(i)}");
                break;
        }
    }
}
