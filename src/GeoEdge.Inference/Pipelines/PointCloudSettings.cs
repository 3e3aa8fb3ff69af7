using System.Text.Json;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.Inference.Pipelines;

/// <summary>What <see cref="PointCloudClassification"/> takes from a manifest: sample size, graph, guards, bounds and decision rules.</summary>
internal sealed record PointCloudSettings
{
    public const double DefaultMaxNonFiniteFraction = 0.05;
    public const double DefaultMaxDuplicateFraction = 0.5;

    public required int Points { get; init; }

    public required KnnPreprocessing? Knn { get; init; }

    /// <summary>Axis-aligned bounds of raw coordinates: min x, y, z then max x, y, z; null when the manifest has none.</summary>
    public required float[]? Bounds { get; init; }

    public required double MaxNonFiniteFraction { get; init; }

    public required double MaxDuplicateFraction { get; init; }

    public required bool AllowRepeat { get; init; }

    public required (int MeanK, double StddevMulThresh)? OutlierRemoval { get; init; }

    public required double Temperature { get; init; }

    public static PointCloudSettings Read(BundleManifest manifest)
    {
        var f = new ManifestFields(manifest);
        if (manifest.Task != BundleTasks.PointCloudClassification)
        {
            f.Fail("$.task", $"'{manifest.Task}' is not {BundleTasks.PointCloudClassification}");
        }

        Preprocessing p = f.Preprocessing;
        int points = p.Points ?? f.Fail<int>("$.preprocessing.points", "missing");
        if (p.Sampling is not ("farthest-point" or "fps"))
        {
            f.Fail("$.preprocessing.sampling", $"'{p.Sampling}' is not supported (farthest-point)");
        }

        // FarthestPointSampling without a random start begins at each cloud's first point, as the recipes do.
        if (f.Optional("samplingStart") is { } start && f.Integer(start, "$.preprocessing.samplingStart") != 0)
        {
            f.Fail("$.preprocessing.samplingStart", "only 0 (the first point) is supported");
        }

        if (p.Normalize is not "NormalizeScale")
        {
            f.Fail("$.preprocessing.normalize", $"'{p.Normalize}' is not supported (NormalizeScale)");
        }

        JsonElement? guards = f.Optional("guards");
        return new PointCloudSettings
        {
            Points = points,
            Knn = p.Knn,
            Bounds = ReadBounds(f),
            MaxNonFiniteFraction = Fraction(f, guards, "maxNonFiniteFraction", DefaultMaxNonFiniteFraction),
            MaxDuplicateFraction = Fraction(f, guards, "maxDuplicateFraction", DefaultMaxDuplicateFraction),
            AllowRepeat = guards is { } g && ManifestFields.Property(g, "allowRepeat") is { } repeat && f.Flag(repeat, "$.preprocessing.guards.allowRepeat"),
            OutlierRemoval = ReadOutlierRemoval(f),
            Temperature = manifest.Calibration?.Temperature ?? 1.0,
        };
    }

    private static float[]? ReadBounds(ManifestFields f)
    {
        if (f.Optional("bounds") is not { } bounds)
        {
            return null;
        }

        double[] min = f.Numbers(ManifestFields.Property(bounds, "min") ?? f.Fail<JsonElement>("$.preprocessing.bounds.min", "missing"), "$.preprocessing.bounds.min", 3);
        double[] max = f.Numbers(ManifestFields.Property(bounds, "max") ?? f.Fail<JsonElement>("$.preprocessing.bounds.max", "missing"), "$.preprocessing.bounds.max", 3);
        var box = new float[6];
        for (int axis = 0; axis < 3; axis++)
        {
            if (!(min[axis] <= max[axis]))
            {
                f.Fail($"$.preprocessing.bounds.min[{axis}]", "min is above max");
            }

            box[axis] = (float)min[axis];
            box[axis + 3] = (float)max[axis];
        }

        return box;
    }

    private static double Fraction(ManifestFields f, JsonElement? guards, string name, double fallback)
    {
        if (guards is not { } g || ManifestFields.Property(g, name) is not { } value)
        {
            return fallback;
        }

        double fraction = f.Number(value, $"$.preprocessing.guards.{name}");
        return fraction is >= 0 and <= 1 ? fraction : f.Fail<double>($"$.preprocessing.guards.{name}", "expected a fraction in [0, 1]");
    }

    private static (int, double)? ReadOutlierRemoval(ManifestFields f)
    {
        if (f.Optional("statisticalOutlierRemoval") is not { } sor)
        {
            return null;
        }

        const string Path = "$.preprocessing.statisticalOutlierRemoval";
        int meanK = f.Integer(ManifestFields.Property(sor, "meanK") ?? f.Fail<JsonElement>($"{Path}.meanK", "missing"), $"{Path}.meanK");
        double mul = f.Number(ManifestFields.Property(sor, "stddevMulThresh") ?? f.Fail<JsonElement>($"{Path}.stddevMulThresh", "missing"), $"{Path}.stddevMulThresh");
        return meanK >= 1 ? (meanK, mul) : f.Fail<(int, double)>($"{Path}.meanK", "must be at least 1");
    }
}
