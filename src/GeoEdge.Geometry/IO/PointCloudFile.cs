namespace GeoEdge.Geometry.IO;

/// <summary>A cloud read from a file, with what the file declared about itself.</summary>
/// <param name="Cloud">The points; x, y, z become <see cref="PointCloud.Positions"/>, every other field an attribute channel.</param>
/// <param name="Format">PCD or PLY.</param>
/// <param name="Encoding">The data encoding the file used.</param>
/// <param name="Fields">Every field the file declared, in file order, with its declared type and count (x, y, z included).</param>
/// <param name="Version">Format version as written (PCD ".7", "0.7", "0.6"; PLY "1.0").</param>
public sealed record PointCloudFile(
    PointCloud Cloud,
    PointCloudFormat Format,
    PointCloudEncoding Encoding,
    IReadOnlyList<PointField> Fields,
    string Version);
