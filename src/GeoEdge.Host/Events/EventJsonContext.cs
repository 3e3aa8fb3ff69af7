using System.Text.Json.Serialization;

namespace GeoEdge.Host.Events;

/// <summary>Source-generated JSON for events (the event log's lines and the diagnostics API share it).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeviceEvent))]
[JsonSerializable(typeof(DeviceEvent[]))]
public sealed partial class EventJsonContext : JsonSerializerContext;
