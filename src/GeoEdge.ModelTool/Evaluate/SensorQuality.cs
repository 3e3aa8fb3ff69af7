using GeoEdge.ModelTool.Calibrate;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>Threshold-free detection quality of per-sensor logits: AUROC per sensor (faulty vs normal sensor-windows) and of the alarm margin pooled over sensors.</summary>
/// <remarks>Detection and false-alarm rates depend on thresholds fitted on a small validation split; these do not, so they
/// compare two variants of a model without that noise. The margin logit - threshold is what the device compares with 0,
/// so its pooled AUROC also judges how well the per-sensor thresholds line the sensors up.</remarks>
internal static class SensorQuality
{
    /// <summary>Mean over sensors of each sensor's AUROC, and how many sensors had both faulty and normal sensor-windows (the others are left out).</summary>
    public static (double Mean, int Sensors) MeanSensorAuroc(double[] scores, bool[] labels, int sensors)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        double sum = 0;
        int counted = 0;
        for (int s = 0; s < sensors; s++)
        {
            var normal = new List<double>();
            var faulty = new List<double>();
            for (int i = s; i < scores.Length; i += sensors)
            {
                (labels[i] ? faulty : normal).Add(scores[i]);
            }

            if (normal.Count > 0 && faulty.Count > 0)
            {
                sum += OodMetrics.Auroc([.. normal], [.. faulty]);
                counted++;
            }
        }

        return (counted == 0 ? double.NaN : sum / counted, counted);
    }

    /// <summary>AUROC of logit - its sensor's threshold over every sensor-window, faulty as positives.</summary>
    public static double MarginAuroc(double[] scores, double[] thresholds, bool[] labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(labels);
        var normal = new List<double>();
        var faulty = new List<double>();
        for (int i = 0; i < scores.Length; i++)
        {
            (labels[i] ? faulty : normal).Add(scores[i] - thresholds[i % thresholds.Length]);
        }

        return normal.Count == 0 || faulty.Count == 0 ? double.NaN : OodMetrics.Auroc([.. normal], [.. faulty]);
    }
}
