using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GeoEdge.Geometry.IO;
using GeoEdge.ModelTool.Calibrate;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>What `evaluate` measured on a sensor-graph anomaly bundle; serialized as evaluation.json, summarised in report.md.</summary>
/// <remarks>Rates are per sensor-window: a faulty sensor flagged is a detection, a normal sensor flagged a false alarm.</remarks>
internal sealed record SensorEvaluationReport
{
    public required string Bundle { get; init; }

    public required string Version { get; init; }

    public required string ManifestSha256 { get; init; }

    public required string Data { get; init; }

    public required int Windows { get; init; }

    public required int SensorWindows { get; init; }

    public required int Faulty { get; init; }

    public required int Detected { get; init; }

    public required double DetectionRate { get; init; }

    public required int Normal { get; init; }

    public required int FalseAlarms { get; init; }

    public required double FalseAlarmRate { get; init; }

    /// <summary>Mean over sensors of the AUROC of the logit, faulty vs normal sensor-windows (threshold-free).</summary>
    public required double MeanSensorAuroc { get; init; }

    /// <summary>Sensors with both faulty and normal sensor-windows in the split, over which <see cref="MeanSensorAuroc"/> is averaged.</summary>
    public required int AurocSensors { get; init; }

    /// <summary>AUROC of logit - threshold pooled over all sensor-windows.</summary>
    public required double MarginAuroc { get; init; }

    /// <summary>Calibration of the manifest's anomaly probability on the split; null for a bundle without one.</summary>
    public SensorProbabilityJson? Probability { get; init; }

    public required IReadOnlyList<KindRatesJson> Kinds { get; init; }

    public required LatencySummary Latency { get; init; }

    /// <summary>The per-window OOD score on this split against an OOD set (evaluate --ood); null without one.</summary>
    public SensorOodJson? Ood { get; init; }

    /// <summary>Writes evaluation.json and report.md into <paramref name="directory"/>, atomically; returns their paths.</summary>
    public IReadOnlyList<string> Write(string directory)
    {
        Directory.CreateDirectory(directory);
        string json = Path.Combine(directory, "evaluation.json");
        string md = Path.Combine(directory, "report.md");
        AtomicFile.Write(json, s => s.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, SensorEvaluationJsonContext.Default.SensorEvaluationReport) + "\n")));
        AtomicFile.Write(md, s => s.Write(Encoding.UTF8.GetBytes(Markdown())));
        return [json, md];
    }

    public string Markdown()
    {
        var md = new StringBuilder();
        void Line(FormattableString s) => md.Append(s.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Line($"# Evaluation: {Bundle} {Version} on {Data}");
        Line($"");
        Line($"Manifest sha256 `{ManifestSha256}`; {Windows} windows, {SensorWindows} sensor-windows; thresholds from the manifest (SensorGraphAnomaly).");
        Line($"");
        Line($"| metric | value |");
        Line($"|---|---|");
        Line($"| detection rate | {DetectionRate:0.0000} ({Detected} of {Faulty}) |");
        Line($"| false-alarm rate | {FalseAlarmRate:0.0000} ({FalseAlarms} of {Normal}) |");
        Line($"| AUROC of the logit, mean over {AurocSensors} sensors | {MeanSensorAuroc:0.0000} |");
        Line($"| AUROC of logit - threshold, all sensor-windows | {MarginAuroc:0.0000} |");
        if (Probability is { } p)
        {
            Line($"| anomaly probability sigmoid({p.Scale:0.####} z {(p.Bias < 0 ? "-" : "+")} {Math.Abs(p.Bias):0.####}) (fitted on {p.FittedOn}): ECE (15 bins) / Brier / NLL | {p.Ece:0.0000} / {p.Brier:0.0000} / {p.Nll:0.0000} |");
            Line($"| ECE of the uncalibrated sigmoid(z) | {p.EceUncalibrated:0.0000} |");
        }

        Line($"| ModelSession run p50 / p99 (us, 1 thread) | {Latency.RunP50Us:0} / {Latency.RunP99Us:0} |");
        Line($"| encoding + run p50 / p99 (us) | {Latency.TotalP50Us:0} / {Latency.TotalP99Us:0} |");
        Line($"");
        Line($"| kind | faulty sensor-windows | detected | detection rate | normal sensors in those windows | false alarms | false-alarm rate |");
        Line($"|---|---|---|---|---|---|---|");
        foreach (KindRatesJson k in Kinds)
        {
            Line($"| {k.Kind} | {k.Faulty} | {k.Detected} | {k.DetectionRate:0.0000} | {k.Normal} | {k.FalseAlarms} | {k.FalseAlarmRate:0.0000} |");
        }

        Line($"");
        Line($"Row \"{(Kinds.Count > 0 ? Kinds[0].Kind : "normal")}\": windows without any fault. Other rows: windows holding that kind (false alarms there include neighbours disturbed by the fault).");
        if (Ood is { } o)
        {
            Line($"");
            Line($"## Out of distribution: {Data} ({Windows} windows) vs {o.Data} ({o.Windows} windows)");
            Line($"");
            string manifest = o.ManifestThreshold is double t
                ? string.Create(CultureInfo.InvariantCulture, $"threshold {t:0.####} from the manifest: {o.TestFlaggedAtManifestThreshold:0.0000} of {Data}'s windows and {o.FlaggedAtManifestThreshold:0.0000} of the OOD windows above it")
                : "no ood section in the manifest (no threshold)";
            Line($"Score `{o.Score}` (the window's drift features standardized against the manifest's drift reference); {manifest}. FPR@95: OOD windows at or below the score that keeps 95 % of {Data}'s windows.");
            Line($"");
            Line($"| OOD kind | windows | AUROC | FPR@95 | above the manifest threshold |");
            Line($"|---|---|---|---|---|");
            Line($"| all | {o.Windows} | {o.Auroc:0.0000} | {o.Fpr95:0.0000} | {Rate(o.FlaggedAtManifestThreshold)} |");
            foreach (SensorOodKindJson k in o.Kinds)
            {
                Line($"| {k.Kind} | {k.Windows} | {k.Auroc:0.0000} | {k.Fpr95:0.0000} | {Rate(k.FlaggedAtManifestThreshold)} |");
            }

            Line($"");
            Line($"Both scores, all OOD windows: drift-max AUROC {o.DriftMaxAuroc:0.0000} / FPR@95 {o.DriftMaxFpr95:0.0000}; drift-rms AUROC {o.DriftRmsAuroc:0.0000} / FPR@95 {o.DriftRmsFpr95:0.0000}.");
        }
        return md.ToString();
    }

    private static string Rate(double? rate) => rate is double r ? r.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
}

/// <summary>The anomaly probability's parameters and its calibration on the evaluated split, with the reliability bins of p.</summary>
internal sealed record SensorProbabilityJson(double Scale, double Bias, string FittedOn, double Ece, double Brier, double Nll, double EceUncalibrated, IReadOnlyList<ReliabilityBin> Reliability);

/// <summary>One anomaly kind's row in evaluation.json.</summary>
internal sealed record KindRatesJson(string Kind, int Faulty, int Detected, double DetectionRate, int Normal, int FalseAlarms, double FalseAlarmRate);

/// <summary>Source-generated JSON for the sensor evaluation report (AOT-compatible).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(SensorEvaluationReport))]
internal sealed partial class SensorEvaluationJsonContext : JsonSerializerContext;
