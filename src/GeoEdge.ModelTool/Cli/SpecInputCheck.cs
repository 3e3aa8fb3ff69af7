using System.Globalization;
using System.Text.Json;
using GeoEdge.Inference.Bundles;
using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Cli;

/// <summary>Refuses a pack spec whose declared input shapes, preprocessing.knn.k or preprocessing.points disagree with the model's fixed input dimensions.</summary>
/// <remarks>Without it such a bundle packs and signs, and fails only where it is loaded (the pipeline asks the session for
/// the manifest's shape): a spec copied from a k = 16 model onto an edge-pruned k = 8 one, for example.</remarks>
internal static class SpecInputCheck
{
    public static void Check(string modelPath, ReadOnlySpan<byte> spec, string specName)
    {
        Dictionary<string, OnnxValue> declared = OptimizationProof.Inputs(OnnxModel.Load(modelPath).Proto).ToDictionary(static v => v.Name, StringComparer.Ordinal);
        var errors = new List<ManifestError>();
        using JsonDocument doc = JsonDocument.Parse(spec.ToArray());
        JsonElement root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("inputs", out JsonElement inputs) || inputs.ValueKind != JsonValueKind.Array)
        {
            return; // the manifest schema reports a missing or malformed inputs section
        }

        string? knnInput = null;
        int index = 0;
        foreach (JsonElement input in inputs.EnumerateArray())
        {
            string at = $"$.inputs[{index++}]";
            if (input.ValueKind != JsonValueKind.Object || !input.TryGetProperty("name", out JsonElement name) || name.ValueKind != JsonValueKind.String
                || !declared.TryGetValue(name.GetString()!, out OnnxValue? model) || model.Shape is null
                || !input.TryGetProperty("shape", out JsonElement shape) || shape.ValueKind != JsonValueKind.Array)
            {
                continue; // names the model lacks and malformed entries are the schema's and the loader's to report
            }

            if (knnInput is null && input.TryGetProperty("dtype", out JsonElement dtype) && dtype.ValueKind == JsonValueKind.String && dtype.GetString() == "int64")
            {
                knnInput = model.Name; // the input the point-cloud pipeline fills with neighbours
            }

            if (shape.GetArrayLength() != model.Shape.Count)
            {
                errors.Add(new ManifestError($"{at}.shape", $"'{model.Name}' has rank {shape.GetArrayLength()}, the model declares {model.ShapeText}"));
                continue;
            }

            int d = 0;
            foreach (JsonElement dim in shape.EnumerateArray())
            {
                long? fixedSize = model.Shape[d].Value;
                if (dim.ValueKind == JsonValueKind.Number && dim.TryGetInt64(out long size) && fixedSize is long f && size != f)
                {
                    errors.Add(new ManifestError($"{at}.shape[{d}]", $"'{model.Name}' dimension {d} is {size}, the model declares {model.ShapeText}"));
                }

                d++;
            }
        }

        if (knnInput is not null && declared[knnInput].Shape is [_, _, { Value: long width }]
            && root.TryGetProperty("preprocessing", out JsonElement pre) && pre.ValueKind == JsonValueKind.Object
            && pre.TryGetProperty("knn", out JsonElement knn) && knn.ValueKind == JsonValueKind.Object
            && knn.TryGetProperty("k", out JsonElement k) && k.ValueKind == JsonValueKind.Number && k.TryGetInt64(out long kValue) && kValue != width)
        {
            errors.Add(new ManifestError("$.preprocessing.knn.k", string.Create(CultureInfo.InvariantCulture,
                $"{kValue} neighbours, but the model's '{knnInput}' input takes {width} per point {declared[knnInput].ShapeText}")));
        }

        if (root.TryGetProperty("preprocessing", out JsonElement preprocessing) && preprocessing.ValueKind == JsonValueKind.Object
            && preprocessing.TryGetProperty("points", out JsonElement points) && points.ValueKind == JsonValueKind.Number
            && points.TryGetInt64(out long pointCount))
        {
            // A point-pruned model takes fewer points than the spec it was copied from: every [B, N, x] input fixes N.
            foreach (OnnxValue input in declared.Values)
            {
                if (input.Shape is [_, { Value: long n }, _] && n != pointCount)
                {
                    errors.Add(new ManifestError("$.preprocessing.points", string.Create(CultureInfo.InvariantCulture,
                        $"{pointCount} points per cloud, but the model's '{input.Name}' input takes {n} {input.ShapeText}")));
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new BundleSpecException(specName, errors);
        }
    }
}
