namespace GeoEdge.ModelTool.Calibrate;

/// <summary>What `calibrate` fits on a sensor-graph anomaly bundle's validation split: the Platt probability, and per-sensor alarm thresholds at a false-alarm rate.</summary>
/// <param name="SensorWindows">Sensor-windows the fit used; <paramref name="Faulty"/> of them faulty.</param>
/// <param name="Thresholds">Per-sensor logit thresholds: fitted when a target rate was given, else the manifest's.</param>
/// <param name="FalseAlarmRate">Fraction of normal sensor-windows above their threshold on the split.</param>
/// <param name="DetectionRate">Fraction of faulty sensor-windows above their threshold on the split.</param>
internal sealed record SensorCalibrationResult(
    int SensorWindows,
    int Faulty,
    double Scale,
    double Bias,
    double NllBefore,
    double NllAfter,
    double EceBefore,
    double EceAfter,
    double BrierBefore,
    double BrierAfter,
    double? TargetFalseAlarmRate,
    double[] Thresholds,
    double FalseAlarmRate,
    double DetectionRate);

/// <summary>Fits the anomaly probability (Platt scaling of the logit) and, optionally, each sensor's threshold at a target false-alarm rate.</summary>
/// <remarks>"Before" is sigmoid(logit), the model's own probability. A sensor's threshold is the smallest of its normal
/// validation logits with at least (1 - rate) of them at or below it (alarms are logits above it), so at most the
/// target fraction of its normal sensor-windows alarm on the split; a sensor with no normal sensor-window keeps its threshold.</remarks>
internal static class SensorCalibration
{
    public static SensorCalibrationResult Fit(double[] scores, bool[] labels, int sensors, double[] thresholds, double? targetFalseAlarmRate)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (scores.Length != labels.Length || sensors <= 0 || scores.Length % sensors != 0 || thresholds.Length != sensors)
        {
            throw new ArgumentException($"scores ({scores.Length}), labels ({labels.Length}) and thresholds ({thresholds.Length}) must be [windows, {sensors}] and [{sensors}]");
        }

        if (targetFalseAlarmRate is not (null or (> 0 and < 1)))
        {
            throw new ArgumentException($"the target false-alarm rate must be in (0, 1), got {targetFalseAlarmRate}");
        }

        (double a, double b) = PlattScaling.Fit(scores, labels);
        double[] before = BinaryCalibrationMetrics.Probabilities(scores, 1, 0);
        double[] after = BinaryCalibrationMetrics.Probabilities(scores, a, b);
        double[] fitted = targetFalseAlarmRate is { } rate ? Thresholds(scores, labels, sensors, thresholds, rate) : [.. thresholds];
        int normal = 0, alarms = 0, faulty = 0, detected = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            bool flagged = scores[i] > fitted[i % sensors];
            (normal, alarms, faulty, detected) = labels[i]
                ? (normal, alarms, faulty + 1, detected + (flagged ? 1 : 0))
                : (normal + 1, alarms + (flagged ? 1 : 0), faulty, detected);
        }

        return new SensorCalibrationResult(
            scores.Length, faulty, a, b,
            PlattScaling.Nll(scores, labels, 1, 0), PlattScaling.Nll(scores, labels, a, b),
            BinaryCalibrationMetrics.Ece(before, labels), BinaryCalibrationMetrics.Ece(after, labels),
            BinaryCalibrationMetrics.Brier(before, labels), BinaryCalibrationMetrics.Brier(after, labels),
            targetFalseAlarmRate, fitted,
            normal == 0 ? 0 : (double)alarms / normal, faulty == 0 ? 0 : (double)detected / faulty);
    }

    private static double[] Thresholds(double[] scores, bool[] labels, int sensors, double[] current, double rate)
    {
        var result = new double[sensors];
        for (int s = 0; s < sensors; s++)
        {
            var normals = new List<double>();
            for (int i = s; i < scores.Length; i += sensors)
            {
                if (!labels[i])
                {
                    normals.Add(scores[i]);
                }
            }

            result[s] = normals.Count == 0 ? current[s] : OodMetrics.ThresholdAtRecall([.. normals], 1 - rate);
        }

        return result;
    }
}
