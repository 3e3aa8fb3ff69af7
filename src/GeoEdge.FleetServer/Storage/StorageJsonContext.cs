using System.Text.Json.Serialization;

namespace GeoEdge.FleetServer.Storage;

/// <summary>Source-generated JSON for the columns that hold small documents (attributes, tags).</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class StorageJsonContext : JsonSerializerContext
{
}
