using System.Globalization;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>How much worse NEW may be than OLD before `compare` fails: absolute accuracy drop, ECE rise, OOD AUROC drop, and p99 run-latency ratio.</summary>
internal sealed record GateThresholds(double MaxAccuracyDrop = 0.01, double MaxEceRise = 0.02, double MaxAurocDrop = 0.02, double MaxP99Ratio = 1.5);

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

        double ratio = @new.Latency.RunP99Us / old.Latency.RunP99Us;
        checks.Add(new GateCheck("run_p99_us", old.Latency.RunP99Us, @new.Latency.RunP99Us, ratio, limits.MaxP99Ratio, ratio <= limits.MaxP99Ratio));
        return checks;
    }

    public static string Format(GateCheck c) => string.Create(CultureInfo.InvariantCulture,
        $"{c.Metric,-18} old {c.Old,10:0.0000}  new {c.New,10:0.0000}  {(c.Metric.EndsWith("_us", StringComparison.Ordinal) ? "ratio" : "delta")} {c.Delta,+9:+0.0000;-0.0000}  limit {c.Limit:0.####}  {(c.Passes ? "ok" : "REGRESSION")}");

    private static GateCheck Drop(string metric, double old, double @new, double limit) => new(metric, old, @new, @new - old, limit, old - @new <= limit);

    private static GateCheck Rise(string metric, double old, double @new, double limit) => new(metric, old, @new, @new - old, limit, @new - old <= limit);
}
