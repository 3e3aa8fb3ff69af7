using System.Globalization;
using System.Text.Json;
using GeoEdge.Geometry;
using GeoEdge.Geometry.IO;

namespace GeoEdge.Host.Cli;

/// <summary>What `geoedge cloud inspect` reports about one file, and its text and JSON renderings.</summary>
internal sealed record CloudInspection(
    string File,
    PointCloudFile Content,
    int FinitePoints,
    (float X, float Y, float Z)? Min,
    (float X, float Y, float Z)? Max,
    string XyzSha256)
{
    public static CloudInspection Of(string file, PointCloudFile content)
    {
        PointCloud cloud = content.Cloud;
        int finite = 0;
        float minX = float.PositiveInfinity, minY = float.PositiveInfinity, minZ = float.PositiveInfinity;
        float maxX = float.NegativeInfinity, maxY = float.NegativeInfinity, maxZ = float.NegativeInfinity;
        float[] p = cloud.Positions;
        for (int i = 0; i < cloud.Count; i++)
        {
            if (!cloud.IsFinite(i))
            {
                continue;
            }

            finite++;
            float x = p[i * 3], y = p[(i * 3) + 1], z = p[(i * 3) + 2];
            minX = Math.Min(minX, x);
            minY = Math.Min(minY, y);
            minZ = Math.Min(minZ, z);
            maxX = Math.Max(maxX, x);
            maxY = Math.Max(maxY, y);
            maxZ = Math.Max(maxZ, z);
        }

        return finite == 0
            ? new CloudInspection(file, content, 0, null, null, PositionDigest.Sha256Hex(cloud))
            : new CloudInspection(file, content, finite, (minX, minY, minZ), (maxX, maxY, maxZ), PositionDigest.Sha256Hex(cloud));
    }

    public void WriteText(TextWriter output)
    {
        PointCloud cloud = Content.Cloud;
        CultureInfo c = CultureInfo.InvariantCulture;
        output.WriteLine($"file:       {File}");
        output.WriteLine($"format:     {FormatName} {Content.Version} {PointCloudEncodings.Name(Content.Encoding)}");
        output.WriteLine(string.Create(c, $"points:     {cloud.Count} (width {cloud.Width}, height {cloud.Height}{(cloud.IsOrganized ? ", organized" : string.Empty)})"));
        output.WriteLine(string.Create(c, $"finite:     {FinitePoints}"));
        output.WriteLine($"fields:     {string.Join(' ', Content.Fields)}");
        if (Min is { } min && Max is { } max)
        {
            output.WriteLine(string.Create(c, $"bbox min:   {min.X:R} {min.Y:R} {min.Z:R}"));
            output.WriteLine(string.Create(c, $"bbox max:   {max.X:R} {max.Y:R} {max.Z:R}"));
        }

        output.WriteLine($"xyzSha256:  {XyzSha256}");
    }

    public void WriteJson(Stream output)
    {
        PointCloud cloud = Content.Cloud;
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("file", File);
        json.WriteString("format", FormatName);
        json.WriteString("version", Content.Version);
        json.WriteString("encoding", PointCloudEncodings.Name(Content.Encoding));
        json.WriteNumber("points", cloud.Count);
        json.WriteNumber("width", cloud.Width);
        json.WriteNumber("height", cloud.Height);
        json.WriteBoolean("organized", cloud.IsOrganized);
        json.WriteNumber("finitePoints", FinitePoints);
        json.WriteStartArray("fields");
        foreach (PointField field in Content.Fields)
        {
            json.WriteStartObject();
            json.WriteString("name", field.Name);
            json.WriteString("type", ScalarTypes.ShortName(field.Type));
            json.WriteNumber("count", field.Count);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (Min is { } min && Max is { } max)
        {
            json.WriteStartObject("boundingBox");
            WriteVector(json, "min", min);
            WriteVector(json, "max", max);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("boundingBox");
        }

        Viewpoint v = cloud.Viewpoint;
        json.WriteStartArray("viewpoint");
        foreach (double value in (ReadOnlySpan<double>)[v.Tx, v.Ty, v.Tz, v.Qw, v.Qx, v.Qy, v.Qz])
        {
            json.WriteNumberValue(value);
        }

        json.WriteEndArray();
        json.WriteString("xyzSha256", XyzSha256);
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    private string FormatName => Content.Format == PointCloudFormat.Ply ? "ply" : "pcd";

    private static void WriteVector(Utf8JsonWriter json, string name, (float X, float Y, float Z) v)
    {
        json.WriteStartArray(name);
        json.WriteNumberValue(v.X);
        json.WriteNumberValue(v.Y);
        json.WriteNumberValue(v.Z);
        json.WriteEndArray();
    }
}
