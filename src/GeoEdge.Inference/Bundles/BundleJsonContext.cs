using System.Text.Json.Serialization;

namespace GeoEdge.Inference.Bundles;

/// <summary>Source-generated (reflection-free, AOT-safe) JSON for the manifest and the signature file.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    AllowDuplicateProperties = false,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(BundleManifest))]
[JsonSerializable(typeof(BundleSignature))]
internal sealed partial class BundleJsonContext : JsonSerializerContext
{
}
