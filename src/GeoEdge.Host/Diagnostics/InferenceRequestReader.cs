using GeoEdge.Geometry;
using GeoEdge.Geometry.IO;

namespace GeoEdge.Host.Diagnostics;

/// <summary>Turns a POST /api/v1/infer body into a <see cref="PointCloud"/>: PCD or PLY bytes (by magic), or JSON points.</summary>
public static class InferenceRequestReader
{
    public const string SourceName = "request body";

    /// <exception cref="InferenceRequestException">Malformed JSON or an empty body.</exception>
    /// <exception cref="PointCloudFormatException">Malformed PCD or PLY.</exception>
    public static PointCloud Read(ReadOnlyMemory<byte> body, string? contentType)
    {
        ReadOnlySpan<byte> span = body.Span;
        if (span.IsEmpty)
        {
            throw new InferenceRequestException("the body is empty; send a PCD or PLY file or {\"points\": [[x, y, z], ...]}");
        }

        if (IsJson(span, contentType))
        {
            return new PointCloud(PointsJson.Read(span));
        }

        using var stream = new MemoryStream(body.ToArray(), writable: false);
        PointCloudFile file = span.Length >= 4 && span[..3].SequenceEqual("ply"u8) && (span[3] == (byte)'\n' || span[3] == (byte)'\r')
            ? PlyReader.Read(stream, SourceName)
            : PcdReader.Read(stream, SourceName);
        return file.Cloud;
    }

    private static bool IsJson(ReadOnlySpan<byte> body, string? contentType)
    {
        if (contentType is not null && contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        ReadOnlySpan<byte> trimmed = body.TrimStart(" \t\r\n"u8);
        return !trimmed.IsEmpty && trimmed[0] == (byte)'{';
    }
}
