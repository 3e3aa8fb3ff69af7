using System.Text.Json;
using System.Text.RegularExpressions;

namespace GeoEdge.Inference.Bundles;

/// <summary>Checks a manifest's JSON against the rules of models/bundle-manifest.schema.json, naming the JSON path of each violation.</summary>
/// <remarks>The schema is the contract for tools; this is the same contract in code, so the AOT device needs no schema engine.
/// ManifestSchemaTests keeps the two in step. Beyond the schema it checks what a schema says badly: unique tensor names,
/// <c>model</c> listed in <c>files</c>, matrix shapes of the OOD statistics.</remarks>
public static partial class ManifestValidator
{
    internal const string NamePattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";
    internal const string IdentifierPattern = "^[a-z][a-z0-9]*([-_][a-z0-9]+)*$";
    internal const string FilePathPattern = "^[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*$";
    internal const string Sha256Pattern = "^[0-9a-f]{64}$";
    internal const string CreatedPattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,7})?Z$";
    internal const string SymbolPattern = "^[A-Za-z_][A-Za-z0-9_]*$";

    internal static readonly string[] TopLevel =
    [
        "$schema", "name", "version", "task", "created", "model", "inputs", "outputs", "files", "dataset",
        "preprocessing", "labels", "calibration", "ood", "drift", "quantization", "pruning", "training", "evaluation", "extensions",
    ];

    internal static readonly string[] Reserved = [BundleManifest.FileName, BundleSignature.FileName];

    public static IReadOnlyList<ManifestError> Validate(JsonElement manifest)
    {
        var c = new JsonChecks();
        if (!c.Object(manifest, "$"))
        {
            return c.Errors;
        }

        c.Required(manifest, "$", "name", "version", "task", "created", "model", "inputs", "outputs", "files", "dataset");
        c.NoOthers(manifest, "$", TopLevel);
        foreach (JsonProperty p in manifest.EnumerateObject())
        {
            string path = JsonChecks.Child("$", p.Name);
            JsonElement v = p.Value;
            switch (p.Name)
            {
                case "$schema": c.String(v, path); break;
                case "name": c.String(v, path, NameRegex(), "a name (letters, digits, '.', '_', '-'; at most 64)"); break;
                case "version": c.String(v, path, SemverRegex(), "a semantic version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD])", 256); break;
                case "task": c.String(v, path, IdentifierRegex(), "a task name in kebab-case"); break;
                case "created": Created(c, v, path); break;
                case "model": c.String(v, path, FilePathRegex(), "a relative path", 255); break;
                case "inputs" or "outputs": Tensors(c, v, path); break;
                case "files": Files(c, v, path); break;
                case "dataset": SectionRules.Dataset(c, v, path); break;
                case "preprocessing": SectionRules.Preprocessing(c, v, path); break;
                case "labels": Labels(c, v, path); break;
                case "calibration": SectionRules.Calibration(c, v, path); break;
                case "ood": SectionRules.Ood(c, v, path); break;
                case "drift": SectionRules.Drift(c, v, path); break;
                case "quantization": SectionRules.Quantization(c, v, path); break;
                case "pruning": SectionRules.Pruning(c, v, path); break;
                case "training": SectionRules.Training(c, v, path); break;
                case "evaluation": SectionRules.Evaluation(c, v, path); break;
                case "extensions": c.Object(v, path); break;
            }
        }

        if (manifest.TryGetProperty("model", out JsonElement model) && model.ValueKind == JsonValueKind.String
            && manifest.TryGetProperty("files", out JsonElement files) && files.ValueKind == JsonValueKind.Object
            && !files.TryGetProperty(model.GetString()!, out _))
        {
            c.Fail("$.model", $"'{model.GetString()}' is not listed in $.files");
        }

        // The precision matrix is trusted only because the manifest pins its hash, so it must be one of the listed files.
        if (manifest.TryGetProperty("ood", out JsonElement ood) && ood.ValueKind == JsonValueKind.Object
            && ood.TryGetProperty("precisionFile", out JsonElement precision) && precision.ValueKind == JsonValueKind.String
            && manifest.TryGetProperty("files", out JsonElement listed) && listed.ValueKind == JsonValueKind.Object
            && !listed.TryGetProperty(precision.GetString()!, out _))
        {
            c.Fail("$.ood.precisionFile", $"'{precision.GetString()}' is not listed in $.files");
        }

        return c.Errors;
    }

    private static void Created(JsonChecks c, JsonElement v, string path)
    {
        string? text = c.String(v, path, CreatedRegex(), "a UTC time (yyyy-MM-ddTHH:mm:ssZ)", 64);
        if (text is not null && !DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out _))
        {
            c.Fail(path, $"'{text}' is not a real date and time");
        }
    }

    private static void Tensors(JsonChecks c, JsonElement v, string path)
    {
        if (!c.Array(v, path, minItems: 1))
        {
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        int i = 0;
        foreach (JsonElement tensor in v.EnumerateArray())
        {
            string at = JsonChecks.Item(path, i++);
            if (!c.Object(tensor, at))
            {
                continue;
            }

            c.Required(tensor, at, "name", "dtype", "shape");
            c.NoOthers(tensor, at, "name", "dtype", "shape");
            if (tensor.TryGetProperty("name", out JsonElement name) && c.String(name, JsonChecks.Child(at, "name"), maxLength: 256) is { } n && !names.Add(n))
            {
                c.Fail(JsonChecks.Child(at, "name"), $"'{n}' is used twice in {path}");
            }

            if (tensor.TryGetProperty("dtype", out JsonElement dtype))
            {
                c.OneOf(dtype, JsonChecks.Child(at, "dtype"), TensorDtypes.All, "dtype");
            }

            if (tensor.TryGetProperty("shape", out JsonElement shape))
            {
                Shape(c, shape, JsonChecks.Child(at, "shape"));
            }
        }
    }

    private static void Shape(JsonChecks c, JsonElement shape, string path)
    {
        if (!c.Array(shape, path))
        {
            return;
        }

        int i = 0;
        foreach (JsonElement dim in shape.EnumerateArray())
        {
            string at = JsonChecks.Item(path, i++);
            if (dim.ValueKind == JsonValueKind.String)
            {
                c.String(dim, at, SymbolRegex(), "a dimension symbol (letters, digits, '_')", 64);
            }
            else if (dim.ValueKind == JsonValueKind.Number)
            {
                c.Integer(dim, at, min: -1);
            }
            else
            {
                c.Fail(at, "a dimension is an integer >= -1 or a symbol such as \"N\"");
            }
        }
    }

    private static void Files(JsonChecks c, JsonElement v, string path)
    {
        if (!c.Object(v, path))
        {
            return;
        }

        bool any = false;
        foreach (JsonProperty file in v.EnumerateObject())
        {
            any = true;
            string at = JsonChecks.Child(path, file.Name);
            if (file.Name.Length > 255 || !JsonChecks.FullMatch(FilePathRegex(), file.Name) || System.Array.IndexOf(Reserved, file.Name) >= 0)
            {
                c.Fail(at, "not a safe relative path: '/'-separated segments of letters, digits, '.', '_', '-' not starting with '.', not manifest.json or manifest.sig");
            }

            if (!c.Object(file.Value, at))
            {
                continue;
            }

            c.Required(file.Value, at, "sha256", "size");
            c.NoOthers(file.Value, at, "sha256", "size");
            if (file.Value.TryGetProperty("sha256", out JsonElement sha))
            {
                c.String(sha, JsonChecks.Child(at, "sha256"), Sha256Regex(), "64 lower-case hex digits", 64);
            }

            if (file.Value.TryGetProperty("size", out JsonElement size))
            {
                c.Integer(size, JsonChecks.Child(at, "size"), min: 0);
            }
        }

        if (!any)
        {
            c.Fail(path, "needs at least one file (the model)");
        }
    }

    private static void Labels(JsonChecks c, JsonElement v, string path)
    {
        if (!c.Array(v, path, minItems: 1))
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        int i = 0;
        foreach (JsonElement label in v.EnumerateArray())
        {
            string at = JsonChecks.Item(path, i++);
            if (c.String(label, at, maxLength: 256) is { } text && !seen.Add(text))
            {
                c.Fail(at, $"label '{text}' appears twice");
            }
        }
    }

    [GeneratedRegex(NamePattern, RegexOptions.CultureInvariant)]
    internal static partial Regex NameRegex();

    [GeneratedRegex(IdentifierPattern, RegexOptions.CultureInvariant)]
    internal static partial Regex IdentifierRegex();

    [GeneratedRegex(FilePathPattern, RegexOptions.CultureInvariant)]
    internal static partial Regex FilePathRegex();

    [GeneratedRegex(Sha256Pattern, RegexOptions.CultureInvariant)]
    internal static partial Regex Sha256Regex();

    [GeneratedRegex(CreatedPattern, RegexOptions.CultureInvariant)]
    internal static partial Regex CreatedRegex();

    [GeneratedRegex(SymbolPattern, RegexOptions.CultureInvariant)]
    internal static partial Regex SymbolRegex();

    [GeneratedRegex(SemanticVersion.Pattern, RegexOptions.CultureInvariant)]
    internal static partial Regex SemverRegex();
}
