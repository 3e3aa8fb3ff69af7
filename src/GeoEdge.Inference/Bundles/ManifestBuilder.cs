using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GeoEdge.Inference.Bundles;

/// <summary>Turns a manifest spec (the manifest without created, model and files) into manifest.json bytes, validated.</summary>
internal static class ManifestBuilder
{
    /// <summary>The parts <see cref="BundlePacker"/> computes; a spec that sets them is refused rather than silently overridden.</summary>
    public static readonly string[] Computed = ["created", "model", "files"];

    private static readonly JsonDocumentOptions ParseOptions = new() { AllowDuplicateProperties = false, MaxDepth = 32 };

    private static readonly JsonWriterOptions WriteOptions = new()
    {
        Indented = true,
        // Readable "+" in versions and non-ASCII labels; the file is data, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Build(ReadOnlySpan<byte> spec, string specName, string model, IReadOnlyDictionary<string, BundleFile> files, DateTimeOffset created)
    {
        JsonObject source = ParseSpec(spec, specName);
        var manifest = new JsonObject();
        foreach (string first in (ReadOnlySpan<string>)["$schema", "name", "version", "task"])
        {
            if (source[first] is { } value)
            {
                manifest[first] = value.DeepClone();
            }
        }

        manifest["created"] = created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        manifest["model"] = model;
        foreach ((string name, JsonNode? value) in source)
        {
            if (!manifest.ContainsKey(name))
            {
                manifest[name] = value?.DeepClone();
            }
        }

        var fileNodes = new JsonObject();
        foreach ((string name, BundleFile file) in files)
        {
            fileNodes[name] = new JsonObject { ["sha256"] = file.Sha256, ["size"] = file.Size };
        }

        manifest["files"] = fileNodes;
        byte[] bytes = Serialize(manifest);
        Validate(bytes, specName);
        return bytes;
    }

    private static JsonObject ParseSpec(ReadOnlySpan<byte> spec, string specName)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(spec, documentOptions: ParseOptions);
        }
        catch (JsonException e)
        {
            throw new BundleSpecException($"{specName}: not valid JSON: {e.Message}", e);
        }

        if (node is not JsonObject specObject)
        {
            throw new BundleSpecException(specName, [new ManifestError("$", "a manifest spec is a JSON object")]);
        }

        var errors = new List<ManifestError>();
        foreach (string name in Computed)
        {
            if (specObject.ContainsKey(name))
            {
                errors.Add(new ManifestError(JsonChecks.Child("$", name), "is computed by pack; remove it from the spec"));
            }
        }

        return errors.Count == 0 ? specObject : throw new BundleSpecException(specName, errors);
    }

    private static byte[] Serialize(JsonObject manifest)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriteOptions))
        {
            manifest.WriteTo(writer);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void Validate(byte[] manifest, string specName)
    {
        using JsonDocument document = JsonDocument.Parse(manifest, ParseOptions);
        IReadOnlyList<ManifestError> errors = ManifestValidator.Validate(document.RootElement);
        if (errors.Count > 0)
        {
            throw new BundleSpecException(specName, errors);
        }
    }
}
