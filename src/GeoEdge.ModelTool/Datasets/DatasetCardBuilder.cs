using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.ModelTool.Datasets;

/// <summary>Fills a manifest dataset card from the split files: SHA-256 per file, sizes and class balance per split, plus name, version, licence and recipe.</summary>
/// <remarks>
/// files: split file name -> SHA-256 of its bytes. sha256: SHA-256 of the lines "NAME SHA\n" sorted by name, so the card
/// pins the whole set. sizes: first dimension of each split's label array. The schema's card is open, so version and
/// classBalance (split -> class name, or index without labels -> count, in class order) go in as extension fields.
/// </remarks>
public static class DatasetCardBuilder
{
    public static DatasetCard Build(string name, string version, string licence, string generator, long? seed,
        IReadOnlyList<DatasetSplit> splits, IReadOnlyList<string>? labels = null, string labelKey = "label")
    {
        ArgumentNullException.ThrowIfNull(splits);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var balance = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (DatasetSplit split in splits)
        {
            string file = Path.GetFileName(split.Path);
            if (!files.TryAdd(file, FileSha256(split.Path)))
            {
                throw new ArgumentException($"two splits share the file name '{file}'; the card keys files by name", nameof(splits));
            }

            (long[] y, int samples) = Labels(split, labelKey);
            sizes[split.Name] = samples;
            balance[split.Name] = Counts(y, split, labels);
        }

        return new DatasetCard
        {
            Name = name,
            Licence = licence,
            Generator = generator,
            Seed = seed,
            Files = files,
            Sha256 = SetSha256(files),
            Sizes = sizes,
            Extensions = new Dictionary<string, JsonElement>(StringComparer.Ordinal)
            {
                ["version"] = Json(w => w.WriteStringValue(version)),
                ["classBalance"] = Json(w => WriteBalance(w, balance, labels)),
            },
        };
    }

    /// <summary>Lower-case hex SHA-256 of a file's bytes (the form the manifest schema requires).</summary>
    public static string FileSha256(string path)
    {
        using FileStream s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    /// <summary>SHA-256 of the lines "NAME SHA256\n" sorted by name (ordinal): pins a set of files by their hashes.</summary>
    public static string SetSha256(IEnumerable<KeyValuePair<string, string>> files)
    {
        var whole = new StringBuilder();
        foreach ((string file, string sha) in files.OrderBy(static f => f.Key, StringComparer.Ordinal))
        {
            whole.Append(file).Append(' ').Append(sha).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(whole.ToString())));
    }

    /// <summary>The split's labels flattened (a classifier's [N], a sensor model's per-sensor kinds [N,S]) and its sample count N.</summary>
    internal static (long[] Labels, int Samples) Labels(DatasetSplit split, string key)
    {
        IReadOnlyDictionary<string, NpyArray> arrays = NpzFile.Read(split.Path);
        if (!arrays.TryGetValue(key, out NpyArray? y) || y.DType != NpyDType.Int64 || y.Shape.Length == 0)
        {
            throw new FormatException($"{split.Path}: split '{split.Name}' needs a '{key}' array, int64 [N] or [N,...]");
        }

        return (y.AsSpan<long>().ToArray(), y.Shape[0]);
    }

    internal static long[] Counts(long[] y, DatasetSplit split, IReadOnlyList<string>? labels)
    {
        long classes = labels?.Count ?? (y.Length == 0 ? 0 : y.Max() + 1);
        var counts = new long[classes];
        foreach (long c in y)
        {
            if (c < 0 || c >= classes)
            {
                throw new FormatException($"{split.Path}: split '{split.Name}' has label {c}, outside the {classes} classes");
            }

            counts[c]++;
        }

        return counts;
    }

    internal static void WriteBalance(Utf8JsonWriter w, Dictionary<string, long[]> balance, IReadOnlyList<string>? labels)
    {
        w.WriteStartObject();
        foreach ((string split, long[] counts) in balance)
        {
            w.WriteStartObject(split);
            for (int c = 0; c < counts.Length; c++)
            {
                w.WriteNumber(labels?[c] ?? c.ToString(System.Globalization.CultureInfo.InvariantCulture), counts[c]);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    internal static JsonElement Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            write(w);
        }

        using JsonDocument doc = JsonDocument.Parse(buffer.ToArray());
        return doc.RootElement.Clone();
    }
}
