using System.Text.Json.Serialization;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>What `evaluate` measured on one bundle and one test split; serialized as evaluation.json.</summary>
internal sealed record EvaluationReport
{
    public required string Bundle { get; init; }

    public required string Version { get; init; }

    public required string ManifestSha256 { get; init; }

    public required string Data { get; init; }

    public required int Samples { get; init; }

    public required double Accuracy { get; init; }

    public required IReadOnlyDictionary<string, double> PerClassRecall { get; init; }

    /// <summary>The manifest's calibration temperature the probabilities below use (1 when it has none).</summary>
    public required double Temperature { get; init; }

    public required double Ece { get; init; }

    public required double Brier { get; init; }

    public required double Nll { get; init; }

    public required IReadOnlyList<ReliabilityBinJson> Reliability { get; init; }

    public required LatencySummary Latency { get; init; }

    public OodSummary? Ood { get; init; }

    public required IReadOnlyList<RobustnessCurve> Robustness { get; init; }

    /// <summary>Accuracy on an adversarial split (--adversarial); null when none was given.</summary>
    public AdversarialSummary? Adversarial { get; init; }

    /// <summary>Test clouds that are near-duplicates of --train clouds; null when no training split was given.</summary>
    public int? NearDuplicatesOfTraining { get; init; }
}

/// <summary>Accuracy on adversarially perturbed clouds, with the attack's L-inf bound (normalized units) and steps when the split records them.</summary>
internal sealed record AdversarialSummary(string Data, int Samples, double Accuracy, double? Epsilon, int? Steps);

/// <summary>One reliability-diagram bin in JSON.</summary>
internal sealed record ReliabilityBinJson(double Lower, double Upper, int Count, double Accuracy, double Confidence);

/// <summary>Microseconds per cloud, nearest-rank percentiles: the ModelSession run alone and preprocessing plus run.</summary>
internal sealed record LatencySummary(double RunP50Us, double RunP99Us, double TotalP50Us, double TotalP99Us, int IntraOpThreads);

/// <summary>Separation of an OOD split from the test split: the manifest's decision score (energy when it has none) and each score, at the manifest's temperature.</summary>
internal sealed record OodSummary(
    string Data,
    int Samples,
    string Score,
    double Auroc,
    double Fpr95,
    double EnergyAuroc,
    double EnergyFpr95,
    double? MahalanobisAuroc,
    double? MahalanobisFpr95,
    double? ManifestThreshold,
    double? FlaggedAtManifestThreshold,
    double? TestFlaggedAtManifestThreshold);

/// <summary>Accuracy under one perturbation at increasing strength, with or without the manifest's SOR stage.</summary>
internal sealed record RobustnessCurve(string Perturbation, string Unit, bool OutlierRemoval, IReadOnlyList<RobustnessPoint> Points);

/// <summary>Accuracy at one perturbation strength.</summary>
internal sealed record RobustnessPoint(double Level, double Accuracy);

/// <summary>Source-generated JSON for the evaluation report (no reflection: the tool is AOT-compatible).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(EvaluationReport))]
internal sealed partial class EvaluationJsonContext : JsonSerializerContext;
