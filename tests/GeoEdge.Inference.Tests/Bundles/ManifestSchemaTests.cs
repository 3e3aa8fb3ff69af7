using System.Text.Json;
using System.Text.Json.Nodes;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.Inference.Tests.Bundles;

/// <summary>Keeps models/bundle-manifest.schema.json and ManifestValidator from drifting apart.</summary>
[Trait("Category", "Unit")]
public sealed class ManifestSchemaTests
{
    private static readonly JsonObject Schema = JsonNode.Parse(File.ReadAllText(Fixtures.Path("bundle-manifest.schema.json")))!.AsObject();

    /// <summary>The first case of schema_cases.json fills every section, so every required list of the schema is reached.</summary>
    private static JsonObject FullManifest() => Cases()[0]!["manifest"]!.AsObject();

    [Fact]
    public void Full_manifest_is_valid_for_both()
    {
        Assert.True(Cases()[0]!["valid"]!.GetValue<bool>());
        Assert.Empty(ManifestValidatorTests.Validate(FullManifest()));
    }

    [Fact]
    public void Full_manifest_deserializes_into_every_typed_section()
    {
        BundleManifest m = JsonSerializer.Deserialize(FullManifest().ToJsonString(), BundleJsonContext.Default.BundleManifest)!;

        Assert.Equal([TensorDimension.Fixed(2), TensorDimension.Fixed(-1)], m.Inputs[1].Shape);
        Assert.Equal(2, m.Files.Count);
        Assert.Equal(new double[][] { [0, 1], [1, 0] }, m.Ood!.ClassMeans!.Select(r => r.ToArray()));
        Assert.Equal(("x", 1.0, -1.0), (m.Drift!.Features[0].Name, m.Drift.Features[0].Std, m.Drift.Features[0].Min));
        Assert.Equal(("dynamic", "int8", true, 64), (m.Quantization!.Method, m.Quantization.WeightType, m.Quantization.PerChannel, m.Quantization.CalibrationSamples));
        Assert.Equal(("l1-unstructured", 0.5), (m.Pruning!.Method, m.Pruning.Sparsity));
        Assert.Equal(string.Concat(Enumerable.Repeat("ab", 32)), m.Dataset.Files!["a.npy"]);
        Assert.Equal(1, m.Preprocessing!.Extensions!["custom"].GetProperty("a").GetInt32());
        Assert.Equal(JsonValueKind.Array, m.Dataset.Extensions!["anything"].ValueKind);
        Assert.Equal(("test", 100L), (m.Evaluation!.Split, m.Evaluation.Samples));
    }

    [Fact]
    public void Every_required_property_of_the_schema_is_enforced_at_its_path()
    {
        var checkedPaths = new List<string>();
        Walk(Schema, FullManifest(), "$", FullManifest(), checkedPaths);

        // 9 at the root, 3 per tensor (3 tensors), 2 per file, dataset 2, knn 2, calibration 1, ood 2, drift 1 + 3, quantization 1, pruning 2, evaluation 1.
        Assert.Equal(9 + 9 + 4 + 2 + 2 + 1 + 2 + 4 + 1 + 2 + 1, checkedPaths.Count);
        Assert.Contains("$.inputs[1].dtype", checkedPaths);
        Assert.Contains("$.files['extra/ood.npy'].sha256", checkedPaths);
        Assert.Contains("$.preprocessing.knn.loop", checkedPaths);
        Assert.Contains("$.drift.features[0].std", checkedPaths);
    }

    [Fact]
    public void Every_closed_object_of_the_schema_refuses_unknown_properties()
    {
        var closed = new List<string>();
        WalkClosed(Schema, FullManifest(), "$", FullManifest(), closed);

        Assert.Equal(["$", "$.inputs[0]", "$.inputs[1]", "$.outputs[0]", "$.files['model.onnx']", "$.files['extra/ood.npy']", "$.preprocessing.knn", "$.calibration", "$.ood", "$.drift", "$.drift.features[0]"], closed);
    }

    [Fact]
    public void Dtype_enum_is_the_validators_list()
    {
        JsonArray schemaEnum = Schema["$defs"]!["dtype"]!["enum"]!.AsArray();

        Assert.Equal(TensorDtypes.All, schemaEnum.Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void Patterns_are_the_validators_patterns()
    {
        JsonNode defs = Schema["$defs"]!;
        JsonNode props = Schema["properties"]!;
        Assert.Equal(ManifestValidator.NamePattern, props["name"]!["pattern"]!.GetValue<string>());
        Assert.Equal(SemanticVersion.Pattern, props["version"]!["pattern"]!.GetValue<string>());
        Assert.Equal(ManifestValidator.CreatedPattern, props["created"]!["pattern"]!.GetValue<string>());
        Assert.Equal(ManifestValidator.IdentifierPattern, defs["identifier"]!["pattern"]!.GetValue<string>());
        Assert.Equal(ManifestValidator.FilePathPattern, defs["filePath"]!["pattern"]!.GetValue<string>());
        Assert.Equal(ManifestValidator.Sha256Pattern, defs["sha256"]!["pattern"]!.GetValue<string>());
        Assert.Equal(ManifestValidator.SymbolPattern, defs["tensor"]!["properties"]!["shape"]!["items"]!["pattern"]!.GetValue<string>());
        Assert.Equal(ManifestValidator.TopLevel, Schema["properties"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Validator_agrees_with_python_jsonschema_on_every_case()
    {
        JsonArray cases = Cases();
        Assert.Equal(55, cases.Count);
        foreach (JsonNode? c in cases)
        {
            bool expected = c!["valid"]!.GetValue<bool>();
            IReadOnlyList<ManifestError> errors = ManifestValidatorTests.Validate(c["manifest"]!);
            Assert.True(expected == (errors.Count == 0), $"case '{c["name"]}': jsonschema says {(expected ? "valid" : "invalid")}, validator says {string.Join("; ", errors)}");
        }
    }

    private static JsonArray Cases() => JsonNode.Parse(File.ReadAllText(Fixtures.Path("manifests", "schema_cases.json")))!.AsArray();

    // Walks schema and instance together; at each object schema with "required", removes each name in turn from a copy of the
    // whole manifest and asserts the validator reports exactly that path as missing.
    private static void Walk(JsonNode schema, JsonNode instance, string path, JsonObject root, List<string> checkedPaths)
    {
        schema = Resolve(schema);
        if (instance is JsonObject obj)
        {
            if (schema["required"] is JsonArray required)
            {
                foreach (JsonNode? name in required)
                {
                    string childPath = Child(path, name!.GetValue<string>());
                    JsonObject copy = root.DeepClone().AsObject();
                    ((JsonObject)Locate(copy, path)).Remove(name.GetValue<string>());
                    IReadOnlyList<ManifestError> errors = ManifestValidatorTests.Validate(copy);
                    Assert.Contains(new ManifestError(childPath, "required property missing"), errors);
                    checkedPaths.Add(childPath);
                }
            }

            foreach ((string name, JsonNode? value) in obj)
            {
                if (ChildSchema(schema, name) is { } child)
                {
                    Walk(child, value!, Child(path, name), root, checkedPaths);
                }
            }
        }
        else if (instance is JsonArray array && schema["items"] is JsonObject items)
        {
            for (int i = 0; i < array.Count; i++)
            {
                Walk(items, array[i]!, $"{path}[{i}]", root, checkedPaths);
            }
        }
    }

    private static void WalkClosed(JsonNode schema, JsonNode instance, string path, JsonObject root, List<string> closed)
    {
        schema = Resolve(schema);
        if (instance is JsonObject obj)
        {
            if (schema["additionalProperties"] is JsonValue v && !v.GetValue<bool>())
            {
                JsonObject copy = root.DeepClone().AsObject();
                ((JsonObject)Locate(copy, path))["zzUnknown"] = 1;
                ManifestError error = Assert.Single(ManifestValidatorTests.Validate(copy));
                Assert.Equal(Child(path, "zzUnknown"), error.Path);
                closed.Add(path);
            }

            foreach ((string name, JsonNode? value) in obj)
            {
                if (ChildSchema(schema, name) is { } child)
                {
                    WalkClosed(child, value!, Child(path, name), root, closed);
                }
            }
        }
        else if (instance is JsonArray array && schema["items"] is JsonObject items)
        {
            for (int i = 0; i < array.Count; i++)
            {
                WalkClosed(items, array[i]!, $"{path}[{i}]", root, closed);
            }
        }
    }

    private static JsonNode? ChildSchema(JsonNode schema, string name) =>
        schema["properties"]?[name] ?? (schema["additionalProperties"] is JsonObject additional ? additional : null);

    private static JsonNode Resolve(JsonNode schema) =>
        schema["$ref"] is JsonValue reference
            ? Resolve(Schema["$defs"]![reference.GetValue<string>()["#/$defs/".Length..]]!)
            : schema;

    private static string Child(string path, string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(name[0]) ? $"{path}.{name}" : $"{path}['{name}']";

    // Follows a path this test built ("$.a[1]['b.c']") back to the node.
    private static JsonNode Locate(JsonNode root, string path)
    {
        JsonNode node = root;
        int i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                int end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                node = node[path[(i + 1)..end]]!;
                i = end;
            }
            else if (path[i + 1] == '\'')
            {
                int end = path.IndexOf("']", i, StringComparison.Ordinal);
                node = node[path[(i + 2)..end]]!;
                i = end + 2;
            }
            else
            {
                int end = path.IndexOf(']', i);
                node = node[int.Parse(path[(i + 1)..end], System.Globalization.CultureInfo.InvariantCulture)]!;
                i = end + 1;
            }
        }

        return node;
    }
}
