using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.Inference.Pipelines;

/// <summary>Reads the task-specific preprocessing fields of a manifest by hand (no reflection), naming the JSON path of whatever is missing.</summary>
internal sealed class ManifestFields(BundleManifest manifest)
{
    public BundleManifest Manifest { get; } = manifest;

    public Preprocessing Preprocessing => Manifest.Preprocessing ?? Fail<Preprocessing>("$.preprocessing", "missing");

    /// <summary>The extension field <paramref name="name"/> of the preprocessing section, or null when absent.</summary>
    public JsonElement? Optional(string name) =>
        Manifest.Preprocessing?.Extensions is { } extensions && extensions.TryGetValue(name, out JsonElement value) ? value : null;

    public JsonElement Required(string name) => Optional(name) ?? Fail<JsonElement>($"$.preprocessing.{name}", "missing");

    public static JsonElement? Property(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement value) ? value : null;

    public double Number(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble() : Fail<double>(path, "expected a number");

    public int Integer(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) ? n : Fail<int>(path, "expected an integer");

    public string Text(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : Fail<string>(path, "expected a string");

    public bool Flag(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => Fail<bool>(path, "expected true or false"),
    };

    /// <summary>A numeric array of exactly <paramref name="length"/> items (any length when -1).</summary>
    public double[] Numbers(JsonElement value, string path, int length)
    {
        if (value.ValueKind != JsonValueKind.Array || (length >= 0 && value.GetArrayLength() != length))
        {
            Fail(path, length >= 0 ? $"expected an array of {length} numbers" : "expected an array of numbers");
        }

        var numbers = new double[value.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            numbers[i] = Number(item, $"{path}[{i}]");
            i++;
        }

        return numbers;
    }

    [DoesNotReturn]
    [StackTraceHidden]
    public T Fail<T>(string path, string problem) =>
        throw new PipelineConfigurationException($"bundle {Manifest.Name} {Manifest.Version}: {path}: {problem}");

    [DoesNotReturn]
    [StackTraceHidden]
    public void Fail(string path, string problem) => Fail<bool>(path, problem);
}
