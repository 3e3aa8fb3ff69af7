using System.Text.Json;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.Inference.Pipelines;

/// <summary>One sensor as the manifest describes it: name, physical range, normalisation statistics and alarm threshold.</summary>
internal sealed record SensorSpec(string Name, float Min, float Max, float Mean, float Std, float Threshold);

/// <summary>An input channel of a sensor window, as the recipe encodes it.</summary>
internal enum SensorChannel
{
    ValueNormalized,
    MissingMask,
    TimeOfDaySin,
    TimeOfDayCos,
}

/// <summary>What <see cref="SensorGraphAnomaly"/> takes from a manifest: window, sample grid, channels and per-sensor parameters.</summary>
internal sealed record SensorSettings
{
    public const string Layout = "[batch, sensor, time, channel]";

    public required int Window { get; init; }

    public required int PeriodSeconds { get; init; }

    public required SensorChannel[] Channels { get; init; }

    public required SensorSpec[] Sensors { get; init; }

    public static SensorSettings Read(BundleManifest manifest)
    {
        var f = new ManifestFields(manifest);
        if (manifest.Task != BundleTasks.SensorGraphAnomaly)
        {
            f.Fail("$.task", $"'{manifest.Task}' is not {BundleTasks.SensorGraphAnomaly}");
        }

        Preprocessing p = f.Preprocessing;
        int window = p.Window ?? f.Fail<int>("$.preprocessing.window", "missing");
        if (f.Optional("layout") is { } layout && f.Text(layout, "$.preprocessing.layout") != Layout)
        {
            f.Fail("$.preprocessing.layout", $"only {Layout} is supported");
        }

        return new SensorSettings
        {
            Window = window,
            PeriodSeconds = ReadPeriod(f, p),
            Channels = ReadChannels(f, p.Features ?? f.Fail<IReadOnlyList<string>>("$.preprocessing.features", "missing")),
            Sensors = ReadSensors(f, f.Required("sensors")),
        };
    }

    // The time-of-day channels need whole seconds; samplingPeriodS is exact where 1 / sampleRateHz may not be.
    private static int ReadPeriod(ManifestFields f, Preprocessing p)
    {
        if (f.Optional("samplingPeriodS") is { } period)
        {
            int seconds = f.Integer(period, "$.preprocessing.samplingPeriodS");
            return seconds >= 1 ? seconds : f.Fail<int>("$.preprocessing.samplingPeriodS", "must be at least 1");
        }

        double rate = p.SampleRateHz ?? f.Fail<double>("$.preprocessing.samplingPeriodS", "missing (and no sampleRateHz)");
        double s = Math.Round(1 / rate);
        return s >= 1 && Math.Abs((1 / rate) - s) < 1e-6 ? (int)s : f.Fail<int>("$.preprocessing.sampleRateHz", "the period must be a whole number of seconds");
    }

    private static SensorChannel[] ReadChannels(ManifestFields f, IReadOnlyList<string> features)
    {
        var channels = new SensorChannel[features.Count];
        for (int c = 0; c < channels.Length; c++)
        {
            channels[c] = features[c] switch
            {
                "value_normalized" => SensorChannel.ValueNormalized,
                "missing_mask" => SensorChannel.MissingMask,
                "time_of_day_sin" => SensorChannel.TimeOfDaySin,
                "time_of_day_cos" => SensorChannel.TimeOfDayCos,
                _ => f.Fail<SensorChannel>($"$.preprocessing.features[{c}]", $"unknown channel '{features[c]}' (value_normalized, missing_mask, time_of_day_sin, time_of_day_cos)"),
            };
        }

        return channels;
    }

    private static SensorSpec[] ReadSensors(ManifestFields f, JsonElement sensors)
    {
        if (sensors.ValueKind != JsonValueKind.Array || sensors.GetArrayLength() == 0)
        {
            f.Fail("$.preprocessing.sensors", "expected a non-empty array");
        }

        var specs = new SensorSpec[sensors.GetArrayLength()];
        var names = new HashSet<string>(StringComparer.Ordinal);
        int i = 0;
        foreach (JsonElement s in sensors.EnumerateArray())
        {
            string at = $"$.preprocessing.sensors[{i}]";
            string name = f.Text(Field(f, s, at, "name"), $"{at}.name");
            if (!names.Add(name))
            {
                f.Fail($"{at}.name", $"'{name}' is repeated");
            }

            if (ManifestFields.Property(s, "index") is { } index && f.Integer(index, $"{at}.index") != i)
            {
                f.Fail($"{at}.index", $"expected {i}: sensors are listed in tensor order");
            }

            double[] range = f.Numbers(Field(f, s, at, "range"), $"{at}.range", 2);
            double std = f.Number(Field(f, s, at, "std"), $"{at}.std");
            if (!(range[0] <= range[1]) || !(std > 0))
            {
                f.Fail(at, "range must be [min, max] with min <= max, and std > 0");
            }

            specs[i] = new SensorSpec(name, (float)range[0], (float)range[1], (float)f.Number(Field(f, s, at, "mean"), $"{at}.mean"), (float)std, (float)f.Number(Field(f, s, at, "threshold"), $"{at}.threshold"));
            i++;
        }

        return specs;
    }

    private static JsonElement Field(ManifestFields f, JsonElement parent, string at, string name) =>
        ManifestFields.Property(parent, name) ?? f.Fail<JsonElement>($"{at}.{name}", "missing");
}
