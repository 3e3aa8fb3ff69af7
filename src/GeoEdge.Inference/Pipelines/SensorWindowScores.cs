namespace GeoEdge.Inference.Pipelines;

/// <summary>How a sensor's missing samples were filled in a window: never silently, always reported.</summary>
public enum SensorImputation
{
    /// <summary>Every sample of the window arrived.</summary>
    None,

    /// <summary>Some samples were missing and took the last (or, before the first, the first) valid sample; the mask channel marks them.</summary>
    ForwardFilled,

    /// <summary>No sample arrived in the window: the whole series is the sensor's training mean, all masked.</summary>
    SensorMean,
}

/// <summary>One sensor's anomaly score for a window, its threshold and how much of its input was filled in.</summary>
/// <param name="Index">The sensor's position in the model's tensors.</param>
/// <param name="Name">The sensor's manifest name.</param>
/// <param name="Score">The model's anomaly logit.</param>
/// <param name="Threshold">The sensor's alarm threshold from the manifest.</param>
/// <param name="IsAnomalous">Score above the sensor's manifest threshold.</param>
/// <param name="MissingSamples">Samples of the window with no (accepted) reading.</param>
/// <param name="Imputation">Whether and how missing samples were filled.</param>
/// <param name="RejectedSamples">Samples given to <see cref="SensorGraphAnomaly.ScoreWindow"/> that were NaN-free but non-finite or out of range, and so treated as missing.</param>
public readonly record struct SensorScore(int Index, string Name, float Score, float Threshold, bool IsAnomalous, int MissingSamples, SensorImputation Imputation, int RejectedSamples)
{
    /// <summary>Mean of the window's valid raw samples, in the sensor's physical unit; NaN when none arrived.</summary>
    public double WindowMean { get; init; } = double.NaN;

    /// <summary>Population standard deviation of the window's valid raw samples; NaN when none arrived.</summary>
    public double WindowStd { get; init; } = double.NaN;
}

/// <summary>Scores of every sensor for one window, the window's start and where the time went.</summary>
/// <param name="WindowStart">Time of the window's first sample (on the model's grid, in the caller's offset).</param>
/// <param name="Sensors">Every sensor, in tensor order.</param>
/// <param name="Timings">Microseconds per stage.</param>
public sealed record SensorWindowScores(DateTimeOffset WindowStart, IReadOnlyList<SensorScore> Sensors, SensorTimings Timings)
{
    /// <summary>Whether the window lies outside the training inputs (the manifest's <c>ood</c> section); null for a bundle without one.</summary>
    public SensorOodVerdict? Ood { get; init; }

    public int AnomalousCount
    {
        get
        {
            int n = 0;
            foreach (SensorScore s in Sensors)
            {
                n += s.IsAnomalous ? 1 : 0;
            }

            return n;
        }
    }

    /// <summary>True when any sensor's input was filled in (see <see cref="SensorScore.Imputation"/>).</summary>
    public bool AnyImputed
    {
        get
        {
            foreach (SensorScore s in Sensors)
            {
                if (s.Imputation != SensorImputation.None)
                {
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>Microseconds spent in each stage of <see cref="SensorGraphAnomaly"/>, from Stopwatch timestamps.</summary>
public sealed record SensorTimings(double WindowUs, double EncodeUs, double RunUs, double PostprocessUs)
{
    public double TotalUs => WindowUs + EncodeUs + RunUs + PostprocessUs;
}
