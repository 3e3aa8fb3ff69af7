using System.Text.Json.Nodes;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.ModelTool.Calibrate;

/// <summary>The manifest's <c>drift</c> reference from the drift features of a calibration split: per feature the mean,
/// population standard deviation (numpy's default, ddof 0), minimum and maximum over the samples.</summary>
/// <remarks>Non-finite values (a sensor without samples in a window) are left out of their feature's statistics; a feature
/// without any finite value is left out of the reference (the device then does not score it).</remarks>
internal static class DriftReferenceFit
{
    /// <param name="names">The pipeline's feature names (CloudDriftFeatures.Names, SensorDriftFeatures.Names).</param>
    /// <param name="rows">One feature vector per sample, in <paramref name="names"/> order.</param>
    public static DriftReference Fit(IReadOnlyList<string> names, IReadOnlyList<double[]> rows)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("no samples to compute drift statistics from", nameof(rows));
        }

        var features = new List<FeatureStatistics>();
        for (int f = 0; f < names.Count; f++)
        {
            double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
            int n = 0;
            foreach (double[] row in rows)
            {
                double x = row[f];
                if (double.IsFinite(x))
                {
                    (sum, n, min, max) = (sum + x, n + 1, Math.Min(min, x), Math.Max(max, x));
                }
            }

            if (n == 0)
            {
                continue;
            }

            double mean = sum / n, squares = 0;
            foreach (double[] row in rows)
            {
                double x = row[f];
                squares += double.IsFinite(x) ? (x - mean) * (x - mean) : 0;
            }

            features.Add(new FeatureStatistics { Name = names[f], Mean = mean, Std = Math.Sqrt(squares / n), Min = min, Max = max });
        }

        return new DriftReference { Samples = rows.Count, Features = features };
    }

    /// <summary>The manifest's JSON form of <paramref name="reference"/> (numbers written shortest round-trip).</summary>
    public static JsonObject ToJson(DriftReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var features = new JsonArray();
        foreach (FeatureStatistics f in reference.Features)
        {
            var feature = new JsonObject { ["name"] = f.Name, ["mean"] = f.Mean, ["std"] = f.Std };
            if (f.Min is double min)
            {
                feature["min"] = min;
            }

            if (f.Max is double max)
            {
                feature["max"] = max;
            }

            features.Add((JsonNode)feature);
        }

        var json = new JsonObject();
        if (reference.Samples is long samples)
        {
            json["samples"] = samples;
        }

        json["features"] = features;
        return json;
    }
}
