using System.Globalization;
using System.Text.Json.Nodes;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.ModelTool.Datasets;

/// <summary>Adds splits to a manifest's dataset card as the tool meets them (pack --split, calibrate, evaluate): SHA-256 per file, size, class balance, split -> file; re-pins the whole set.</summary>
/// <remarks>Same fields as <see cref="DatasetCardBuilder"/> plus "splitFiles" (split name -> file name), which is how
/// `evaluate` finds the training split's hash to refuse a leaked test split. Class balance counts the manifest's labels
/// (classifiers, 'label' [N]) or, for a sensor-graph anomaly model, the card's anomalyKinds ('kind' [N,S], per sensor-window).</remarks>
public static class DatasetCardEditor
{
    /// <param name="classBalance">False for a split whose labels are not the model's classes (an OOD split's -1).</param>
    public static void AddSplits(JsonObject manifest, IReadOnlyList<DatasetSplit> splits, bool classBalance = true)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(splits);
        JsonObject card = manifest["dataset"] as JsonObject ?? throw new FormatException("the manifest has no dataset card object to add splits to");
        (string labelKey, List<string>? names) = Classes(manifest, card);
        JsonObject files = Child(card, "files");
        JsonObject sizes = Child(card, "sizes");
        JsonObject splitFiles = Child(card, "splitFiles");
        JsonObject balance = Child(card, "classBalance");
        foreach (DatasetSplit split in splits)
        {
            string file = Path.GetFileName(split.Path);
            (long[] y, int samples) = DatasetCardBuilder.Labels(split, labelKey);
            files[file] = DatasetCardBuilder.FileSha256(split.Path);
            sizes[split.Name] = samples;
            splitFiles[split.Name] = file;
            if (!classBalance)
            {
                continue;
            }

            long[] counts = DatasetCardBuilder.Counts(y, split, names);
            var perClass = new JsonObject();
            for (int c = 0; c < counts.Length; c++)
            {
                perClass[names?[c] ?? c.ToString(CultureInfo.InvariantCulture)] = counts[c];
            }

            balance[split.Name] = perClass;
        }

        card["sha256"] = DatasetCardBuilder.SetSha256(files.Select(static f => KeyValuePair.Create(f.Key, f.Value!.GetValue<string>())));
    }

    /// <summary>The SHA-256 the card pins for a split ("train", ...), through splitFiles and files; null when it names none.</summary>
    public static string? SplitSha256(DatasetCard card, string split)
    {
        ArgumentNullException.ThrowIfNull(card);
        return card.Extensions?.TryGetValue("splitFiles", out var splitFiles) == true
            && splitFiles.ValueKind == System.Text.Json.JsonValueKind.Object
            && splitFiles.TryGetProperty(split, out var file)
            && file.GetString() is { } name
            && card.Files?.TryGetValue(name, out string? sha) == true
                ? sha
                : null;
    }

    private static (string LabelKey, List<string>? Names) Classes(JsonObject manifest, JsonObject card)
    {
        if (manifest["task"]?.GetValue<string>() == BundleTasks.SensorGraphAnomaly)
        {
            return ("kind", card["anomalyKinds"] is JsonArray kinds ? [.. kinds.Select(static k => k!.GetValue<string>())] : null);
        }

        return ("label", manifest["labels"] is JsonArray labels ? [.. labels.Select(static l => l!.GetValue<string>())] : null);
    }

    private static JsonObject Child(JsonObject card, string name)
    {
        if (card[name] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        card[name] = created;
        return created;
    }
}
