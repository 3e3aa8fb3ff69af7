namespace GeoEdge.Inference.Pipelines;

/// <summary>The drift features of one scored sensor window, named as the bundle's <c>drift</c> section names them: per sensor
/// the mean and standard deviation of its raw window, then the window's missing fraction.</summary>
/// <remarks>
/// <para>Why each one:</para>
/// <list type="bullet">
/// <item><c>&lt;sensor&gt;.mean</c> — the sensor's level in its physical unit, before the model's normalisation: an offset
/// (recalibration, a swapped part, a heater next to the sensor) or a changed climate moves it.</item>
/// <item><c>&lt;sensor&gt;.std</c> — the sensor's variability within the window: a noisier, stuck or differently sampled
/// sensor moves it while its mean may stay.</item>
/// <item><c>missing_fraction</c> — the share of the window's samples that did not arrive (or were refused): a flaky bus or
/// network changes the inputs the model sees through its imputation.</item>
/// </list>
/// <para>Computed from the raw window the pipeline scores (NaN = missing, out-of-range samples already treated as missing),
/// once per window: one pass per sensor, no allocation. A sensor without any valid sample has NaN mean and std, which the
/// <see cref="DriftMonitor"/> skips rather than counting as a value.</para>
/// </remarks>
public static class SensorDriftFeatures
{
    /// <summary>The name of the last feature.</summary>
    public const string MissingFraction = "missing_fraction";

    /// <summary>Features of a graph of <paramref name="sensors"/> sensors.</summary>
    public static int Count(int sensors) => (2 * sensors) + 1;

    /// <summary>The feature names for sensors named <paramref name="sensors"/> (tensor order), in <see cref="Measure"/> order.</summary>
    public static string[] Names(IReadOnlyList<string> sensors)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        var names = new string[Count(sensors.Count)];
        for (int s = 0; s < sensors.Count; s++)
        {
            names[2 * s] = sensors[s] + ".mean";
            names[(2 * s) + 1] = sensors[s] + ".std";
        }

        names[^1] = MissingFraction;
        return names;
    }

    /// <summary>Writes the features of a scored window of <paramref name="window"/> samples per sensor into <paramref name="features"/>.</summary>
    public static void Measure(IReadOnlyList<SensorScore> sensors, int window, Span<double> features)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        long missing = 0;
        for (int s = 0; s < sensors.Count; s++)
        {
            SensorScore score = sensors[s];
            features[2 * s] = score.WindowMean;
            features[(2 * s) + 1] = score.WindowStd;
            missing += score.MissingSamples;
        }

        features[2 * sensors.Count] = (double)missing / ((long)sensors.Count * window);
    }

    /// <summary>Mean and population standard deviation of the valid (non-NaN) samples of <paramref name="series"/>; NaN, NaN when none is valid.</summary>
    public static (double Mean, double Std) WindowStatistics(ReadOnlySpan<float> series)
    {
        double sum = 0;
        int n = 0;
        foreach (float v in series)
        {
            if (!float.IsNaN(v))
            {
                sum += v;
                n++;
            }
        }

        if (n == 0)
        {
            return (double.NaN, double.NaN);
        }

        // Two passes: the window's values sit far from zero (a temperature, a pressure), where a one-pass variance cancels.
        double mean = sum / n, squares = 0;
        foreach (float v in series)
        {
            if (!float.IsNaN(v))
            {
                squares += (v - mean) * (v - mean);
            }
        }

        return (mean, Math.Sqrt(squares / n));
    }
}
