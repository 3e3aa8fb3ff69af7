namespace GeoEdge.Inference.Pipelines;

/// <summary>Encodes a raw sensor window [S,T] (NaN = missing) into the model's [S,T,C] input exactly as the training recipe does.</summary>
/// <remarks>
/// models/training/sensor_stgnn.py <c>encode</c>: mask = 1 where missing; a missing sample takes the last valid sample before it
/// in the window, leading missing samples the first valid one, a sensor without any valid sample its mean; value =
/// float32 (filled - mean) / std; time of day tod = slot time mod 86400 s, channels sin and cos of 2*pi*tod/86400.
/// </remarks>
internal static class SensorWindowEncoder
{
    private const int SecondsPerDay = 86400;

    /// <summary>Writes <paramref name="x"/> and, per sensor, how many samples were missing and how they were filled.</summary>
    public static void Encode(SensorSettings settings, ReadOnlySpan<float> raw, long startSlot, Span<float> x, Span<int> missing, Span<SensorImputation> imputation)
    {
        int w = settings.Window, channels = settings.Channels.Length;
        Span<float> sin = w <= 4096 ? stackalloc float[w] : new float[w];
        Span<float> cos = w <= 4096 ? stackalloc float[w] : new float[w];
        for (int t = 0; t < w; t++)
        {
            long tod = (startSlot + t) * settings.PeriodSeconds % SecondsPerDay;
            double angle = 2 * Math.PI * tod / SecondsPerDay;
            sin[t] = (float)Math.Sin(angle);
            cos[t] = (float)Math.Cos(angle);
        }

        for (int s = 0; s < settings.Sensors.Length; s++)
        {
            SensorSpec sensor = settings.Sensors[s];
            ReadOnlySpan<float> series = raw.Slice(s * w, w);
            int first = FirstValid(series);
            missing[s] = CountMissing(series);
            imputation[s] = first < 0 ? SensorImputation.SensorMean : missing[s] > 0 ? SensorImputation.ForwardFilled : SensorImputation.None;
            float last = first < 0 ? sensor.Mean : series[first];
            for (int t = 0; t < w; t++)
            {
                bool isMissing = float.IsNaN(series[t]);
                last = isMissing ? last : series[t];
                Span<float> cell = x.Slice(((s * w) + t) * channels, channels);
                for (int c = 0; c < channels; c++)
                {
                    cell[c] = settings.Channels[c] switch
                    {
                        SensorChannel.ValueNormalized => (last - sensor.Mean) / sensor.Std,
                        SensorChannel.MissingMask => isMissing ? 1f : 0f,
                        SensorChannel.TimeOfDaySin => sin[t],
                        _ => cos[t],
                    };
                }
            }
        }
    }

    private static int FirstValid(ReadOnlySpan<float> series)
    {
        for (int t = 0; t < series.Length; t++)
        {
            if (!float.IsNaN(series[t]))
            {
                return t;
            }
        }

        return -1;
    }

    private static int CountMissing(ReadOnlySpan<float> series)
    {
        int n = 0;
        foreach (float v in series)
        {
            n += float.IsNaN(v) ? 1 : 0;
        }

        return n;
    }
}
