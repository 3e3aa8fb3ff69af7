using System.Text.Json;

namespace GeoEdge.Inference.Bundles;

/// <summary>The schema rules of the manifest's optional sections and of the dataset card.</summary>
internal static class SectionRules
{
    public static void Preprocessing(JsonChecks c, JsonElement v, string path)
    {
        // Open section: unknown fields are task-specific parameters and stay as written.
        if (!c.Object(v, path))
        {
            return;
        }

        foreach (JsonProperty p in v.EnumerateObject())
        {
            string at = JsonChecks.Child(path, p.Name);
            switch (p.Name)
            {
                case "points" or "window" or "stride": c.Integer(p.Value, at, min: 1, max: int.MaxValue); break;
                case "sampling" or "normalize": c.String(p.Value, at, maxLength: 64); break;
                case "sampleRateHz": c.Number(p.Value, at, min: 0, exclusiveMin: true); break;
                case "features": Strings(c, p.Value, at); break;
                case "knn": Knn(c, p.Value, at); break;
            }
        }
    }

    public static void Calibration(JsonChecks c, JsonElement v, string path)
    {
        if (c.Object(v, path))
        {
            c.Required(v, path, "temperature");
            c.NoOthers(v, path, "temperature");
            Optional(v, "temperature", t => c.Number(t, JsonChecks.Child(path, "temperature"), min: 0, exclusiveMin: true));
        }
    }

    public static void Ood(JsonChecks c, JsonElement v, string path)
    {
        if (!c.Object(v, path))
        {
            return;
        }

        c.Required(v, path, "score", "threshold");
        c.NoOthers(v, path, "score", "threshold", "classMeans", "covariance", "covarianceIsInverse", "precisionFile");
        string? score = null;
        Optional(v, "score", s => score = c.String(s, JsonChecks.Child(path, "score"), ManifestValidator.IdentifierRegex(), "a score name in kebab-case"));
        Optional(v, "threshold", t => c.Number(t, JsonChecks.Child(path, "threshold")));
        Optional(v, "covarianceIsInverse", b => c.Boolean(b, JsonChecks.Child(path, "covarianceIsInverse")));
        int[]? means = null, covariance = null;
        Optional(v, "classMeans", m => means = c.NumberMatrix(m, JsonChecks.Child(path, "classMeans")));
        Optional(v, "covariance", m => covariance = c.NumberMatrix(m, JsonChecks.Child(path, "covariance")));
        Optional(v, "precisionFile", f => c.String(f, JsonChecks.Child(path, "precisionFile"), ManifestValidator.FilePathRegex(), "a relative path", 255));
        bool inline = v.TryGetProperty("covariance", out _), file = v.TryGetProperty("precisionFile", out _);
        if (inline && file)
        {
            c.Fail(JsonChecks.Child(path, "precisionFile"), "give the matrix either as this file or inline as covariance, not both");
        }

        if (score == "mahalanobis")
        {
            c.Required(v, path, "classMeans");
            if (!inline && !file)
            {
                c.Fail(JsonChecks.Child(path, "precisionFile"), "required property missing (or the older inline covariance)");
            }
        }

        if (covariance is not null && System.Array.Exists(covariance, n => n != covariance.Length))
        {
            c.Fail(JsonChecks.Child(path, "covariance"), $"must be square, {covariance.Length} rows of {covariance.Length} numbers");
        }

        if (means is not null && covariance is not null && System.Array.Exists(means, n => n != covariance.Length))
        {
            c.Fail(JsonChecks.Child(path, "classMeans"), $"every class mean needs {covariance.Length} numbers, as many as the covariance has rows");
        }
    }

    public static void Drift(JsonChecks c, JsonElement v, string path)
    {
        if (!c.Object(v, path))
        {
            return;
        }

        c.Required(v, path, "features");
        c.NoOthers(v, path, "samples", "features");
        Optional(v, "samples", s => c.Integer(s, JsonChecks.Child(path, "samples"), min: 1));
        if (!v.TryGetProperty("features", out JsonElement features) || !c.Array(features, JsonChecks.Child(path, "features"), minItems: 1))
        {
            return;
        }

        int i = 0;
        foreach (JsonElement f in features.EnumerateArray())
        {
            string at = JsonChecks.Item(JsonChecks.Child(path, "features"), i++);
            if (!c.Object(f, at))
            {
                continue;
            }

            c.Required(f, at, "name", "mean", "std");
            c.NoOthers(f, at, "name", "mean", "std", "min", "max");
            Optional(f, "name", n => c.String(n, JsonChecks.Child(at, "name"), maxLength: 256));
            Optional(f, "mean", n => c.Number(n, JsonChecks.Child(at, "mean")));
            Optional(f, "std", n => c.Number(n, JsonChecks.Child(at, "std"), min: 0));
            Optional(f, "min", n => c.Number(n, JsonChecks.Child(at, "min")));
            Optional(f, "max", n => c.Number(n, JsonChecks.Child(at, "max")));
        }
    }

    public static void Quantization(JsonChecks c, JsonElement v, string path)
    {
        if (!c.Object(v, path))
        {
            return;
        }

        c.Required(v, path, "method");
        Optional(v, "method", m => c.String(m, JsonChecks.Child(path, "method"), ManifestValidator.IdentifierRegex(), "a method name in kebab-case"));
        Optional(v, "weightType", t => c.OneOf(t, JsonChecks.Child(path, "weightType"), TensorDtypes.All, "dtype"));
        Optional(v, "activationType", t => c.OneOf(t, JsonChecks.Child(path, "activationType"), TensorDtypes.All, "dtype"));
        Optional(v, "perChannel", b => c.Boolean(b, JsonChecks.Child(path, "perChannel")));
        Optional(v, "calibrationSamples", n => c.Integer(n, JsonChecks.Child(path, "calibrationSamples"), min: 1, max: int.MaxValue));
    }

    public static void Pruning(JsonChecks c, JsonElement v, string path)
    {
        if (!c.Object(v, path))
        {
            return;
        }

        c.Required(v, path, "method", "sparsity");
        Optional(v, "method", m => c.String(m, JsonChecks.Child(path, "method"), ManifestValidator.IdentifierRegex(), "a method name in kebab-case"));
        Optional(v, "sparsity", s => c.Number(s, JsonChecks.Child(path, "sparsity"), min: 0, max: 1));
        Optional(v, "structured", b => c.Boolean(b, JsonChecks.Child(path, "structured")));
    }

    public static void Training(JsonChecks c, JsonElement v, string path)
    {
        if (c.Object(v, path))
        {
            Optional(v, "epochs", n => c.Integer(n, JsonChecks.Child(path, "epochs"), min: 0, max: int.MaxValue));
            Optional(v, "accuracy", n => c.Number(n, JsonChecks.Child(path, "accuracy"), min: 0, max: 1));
            Optional(v, "recipe", s => c.String(s, JsonChecks.Child(path, "recipe")));
        }
    }

    public static void Evaluation(JsonChecks c, JsonElement v, string path)
    {
        if (!c.Object(v, path))
        {
            return;
        }

        c.Required(v, path, "metrics");
        Optional(v, "metrics", m => NumberMap(c, m, JsonChecks.Child(path, "metrics")));
        Optional(v, "split", s => c.String(s, JsonChecks.Child(path, "split"), maxLength: 64));
        Optional(v, "samples", n => c.Integer(n, JsonChecks.Child(path, "samples"), min: 0));
    }

    public static void Dataset(JsonChecks c, JsonElement v, string path)
    {
        if (!c.Object(v, path))
        {
            return;
        }

        c.Required(v, path, "name", "licence");
        Optional(v, "name", s => c.String(s, JsonChecks.Child(path, "name"), maxLength: 256));
        Optional(v, "licence", s => c.String(s, JsonChecks.Child(path, "licence"), maxLength: 256));
        Optional(v, "sha256", s => c.String(s, JsonChecks.Child(path, "sha256"), ManifestValidator.Sha256Regex(), "64 lower-case hex digits", 64));
        Optional(v, "generator", s => c.String(s, JsonChecks.Child(path, "generator")));
        Optional(v, "source", s => c.String(s, JsonChecks.Child(path, "source")));
        Optional(v, "seed", n => c.Integer(n, JsonChecks.Child(path, "seed"), min: long.MinValue));
        Optional(v, "sizes", m => CountMap(c, m, JsonChecks.Child(path, "sizes")));
        if (v.TryGetProperty("files", out JsonElement files) && c.Object(files, JsonChecks.Child(path, "files")))
        {
            foreach (JsonProperty f in files.EnumerateObject())
            {
                c.String(f.Value, JsonChecks.Child(JsonChecks.Child(path, "files"), f.Name), ManifestValidator.Sha256Regex(), "64 lower-case hex digits", 64);
            }
        }
    }

    private static void Knn(JsonChecks c, JsonElement v, string path)
    {
        if (c.Object(v, path))
        {
            c.Required(v, path, "k", "loop");
            c.NoOthers(v, path, "k", "loop");
            Optional(v, "k", k => c.Integer(k, JsonChecks.Child(path, "k"), min: 1, max: int.MaxValue));
            Optional(v, "loop", b => c.Boolean(b, JsonChecks.Child(path, "loop")));
        }
    }

    private static void Strings(JsonChecks c, JsonElement v, string path)
    {
        if (c.Array(v, path, minItems: 1))
        {
            int i = 0;
            foreach (JsonElement s in v.EnumerateArray())
            {
                c.String(s, JsonChecks.Item(path, i++), maxLength: 256);
            }
        }
    }

    private static void NumberMap(JsonChecks c, JsonElement v, string path)
    {
        if (c.Object(v, path))
        {
            foreach (JsonProperty p in v.EnumerateObject())
            {
                c.Number(p.Value, JsonChecks.Child(path, p.Name));
            }
        }
    }

    private static void CountMap(JsonChecks c, JsonElement v, string path)
    {
        if (c.Object(v, path))
        {
            foreach (JsonProperty p in v.EnumerateObject())
            {
                c.Integer(p.Value, JsonChecks.Child(path, p.Name), min: 0);
            }
        }
    }

    private static void Optional(JsonElement obj, string name, Action<JsonElement> check)
    {
        if (obj.TryGetProperty(name, out JsonElement value))
        {
            check(value);
        }
    }
}
