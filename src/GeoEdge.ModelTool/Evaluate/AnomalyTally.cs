namespace GeoEdge.ModelTool.Evaluate;

/// <summary>Detections and false alarms of one anomaly kind: faulty sensor-windows of that kind flagged, and normal sensors flagged in the windows that hold it.</summary>
/// <remarks>For kind 0 ("normal") the detection counts are 0 and the false alarms are those of clean windows (no fault at all).</remarks>
internal sealed record KindRates(string Kind, int Faulty, int Detected, int Normal, int FalseAlarms)
{
    public double DetectionRate => Faulty == 0 ? 0 : (double)Detected / Faulty;

    public double FalseAlarmRate => Normal == 0 ? 0 : (double)FalseAlarms / Normal;
}

/// <summary>Counts sensor-level detections and false alarms per anomaly kind from the kind of every sensor-window and the pipeline's flags.</summary>
internal static class AnomalyTally
{
    /// <summary>One <see cref="KindRates"/> per kind name; <paramref name="kind"/> and <paramref name="flagged"/> are [windows, sensors] row-major.</summary>
    public static List<KindRates> Count(ReadOnlySpan<long> kind, ReadOnlySpan<bool> flagged, int sensors, IReadOnlyList<string> kindNames)
    {
        ArgumentNullException.ThrowIfNull(kindNames);
        if (kind.Length != flagged.Length || sensors <= 0 || kind.Length % sensors != 0)
        {
            throw new ArgumentException($"kind ({kind.Length}) and flags ({flagged.Length}) must both be [windows, {sensors}]");
        }

        int kinds = kindNames.Count;
        var faulty = new int[kinds];
        var detected = new int[kinds];
        var normal = new int[kinds];
        var falseAlarms = new int[kinds];
        var present = new bool[kinds];
        for (int w = 0; w < kind.Length / sensors; w++)
        {
            ReadOnlySpan<long> k = kind.Slice(w * sensors, sensors);
            ReadOnlySpan<bool> f = flagged.Slice(w * sensors, sensors);
            Array.Clear(present);
            int windowNormal = 0, windowAlarms = 0;
            for (int s = 0; s < sensors; s++)
            {
                if (k[s] < 0 || k[s] >= kinds)
                {
                    throw new FormatException($"window {w} sensor {s}: kind {k[s]} is not one of the {kinds} kinds ({string.Join(", ", kindNames)})");
                }

                if (k[s] == 0)
                {
                    windowNormal++;
                    windowAlarms += f[s] ? 1 : 0;
                    continue;
                }

                present[k[s]] = true;
                faulty[k[s]]++;
                detected[k[s]] += f[s] ? 1 : 0;
            }

            // A clean window counts for "normal"; a window with faults counts for each kind it holds.
            present[0] = Array.IndexOf(present, true, 1) < 0;
            for (int c = 0; c < kinds; c++)
            {
                if (present[c])
                {
                    normal[c] += windowNormal;
                    falseAlarms[c] += windowAlarms;
                }
            }
        }

        var rates = new List<KindRates>(kinds);
        for (int c = 0; c < kinds; c++)
        {
            rates.Add(new KindRates(kindNames[c], faulty[c], detected[c], normal[c], falseAlarms[c]));
        }

        return rates;
    }
}
