using System.Globalization;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>How much worse NEW may be than OLD before `compare` fails: absolute accuracy drop, ECE rise, OOD AUROC drop, and p99 run-latency ratio.</summary>
/// <remarks>For sensor-graph anomaly bundles the accuracy limit applies to the detection rate, the AUROC limit to the mean
/// per-sensor AUROC, the ECE limit to the anomaly probability's, and <see cref="MaxFalseAlarmRise"/> to the false-alarm rate.</remarks>
internal sealed record GateThresholds(double MaxAccuracyDrop = 0.01, double MaxEceRise = 0.02, double MaxAurocDrop = 0.02, double MaxP99Ratio = 1.5, double MaxFalseAlarmRise = 0.01);

/// <summary>One compared metric: both values, the delta (new - old, or new / old for latency), the limit, and whether it passes.</summary>
internal sealed record GateCheck(string Metric, double Old, double New, double Delta, double Limit, bool Passes);

/// <summary>The regression gate: compares two evaluations of the same split metric by metric.</summary>
internal static class RegressionGate
{
    public static List<GateCheck> Check(EvaluationReport old, EvaluationReport @new, GateThresholds limits)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(@new);
        ArgumentNullException.ThrowIfNull(limits);
        var checks = new List<GateCheck>
        {
            Drop("accuracy", old.Accuracy, @new.Accuracy, limits.MaxAccuracyDrop),
            Rise("ece", old.Ece, @new.Ece, limits.MaxEceRise),
        };
        if (old.Ood is { } o && @new.Ood is { } n)
        {
            checks.Add(Drop($"ood_auroc({n.Score})", o.Auroc, n.Auroc, limits.MaxAurocDrop));
        }

        checks.Add(Latency(old.Latency, @new.Latency, limits));
        return checks;
    }

    /// <summary>The gate for sensor-graph anomaly bundles: detection, false alarms, mean sensor AUROC, probability ECE (when both
    /// bundles fit one), OOD AUROC (when both were evaluated with an OOD set), p99 run latency. Both reports must come from the same split, as for classifiers.</summary>
    public static List<GateCheck> Check(SensorEvaluationReport old, SensorEvaluationReport @new, GateThresholds limits)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(@new);
        ArgumentNullException.ThrowIfNull(limits);
        var checks = new List<GateCheck>
        {
            Drop("detection_rate", old.DetectionRate, @new.DetectionRate, limits.MaxAccuracyDrop),
            Rise("false_alarm_rate", old.FalseAlarmRate, @new.FalseAlarmRate, limits.MaxFalseAlarmRise),
            Drop("mean_sensor_auroc", old.MeanSensorAuroc, @new.MeanSensorAuroc, limits.MaxAurocDrop),
        };
        if (old.Probability is { } o && @new.Probability is { } n)
        {
            checks.Add(Rise("probability_ece", o.Ece, n.Ece, limits.MaxEceRise));
        }

        if (old.Ood is { } oldOod && @new.Ood is { } newOod)
        {
            checks.Add(Drop($"ood_auroc({newOod.Score})", oldOod.Auroc, newOod.Auroc, limits.MaxAurocDrop));
        }

        checks.Add(Latency(old.Latency, @new.Latency, limits));
        return checks;
    }

    public static string Format(GateCheck c) => string.Create(CultureInfo.InvariantCulture,
        $"{c.Metric,-18} old {c.Old,10:0.0000}  new {c.New,10:0.0000}  {(c.Metric.EndsWith("_us", StringComparison.Ordinal) ? "ratio" : "delta")} {c.Delta,+9:+0.0000;-0.0000}  limit {c.Limit:0.####}  {(c.Passes ? "ok" : "REGRESSION")}");

    private static GateCheck Latency(LatencySummary old, LatencySummary @new, GateThresholds limits)
    {
        double ratio = @new.RunP99Us / old.RunP99Us;
        return new GateCheck("run_p99_us", old.RunP99Us, @new.RunP99Us, ratio, limits.MaxP99Ratio, ratio <= limits.MaxP99Ratio);
    }

    private static GateCheck Drop(string metric, double old, double @new, double limit) => new(metric, old, @new, @new - old, limit, old - @new <= limit);

    private static GateCheck Rise(string metric, double old, double @new, double limit) => new(metric, old, @new, @new - old, limit, @new - old <= limit);
}
