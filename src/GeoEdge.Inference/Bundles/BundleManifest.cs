using System.Text.Json;
using System.Text.Json.Serialization;

namespace GeoEdge.Inference.Bundles;

/// <summary>manifest.json of a model bundle: what the model is, what it eats and returns, and the SHA-256 of every file.</summary>
/// <remarks>Read only after <see cref="ManifestValidator"/> has accepted the JSON, so required members are always present.
/// models/bundle-manifest.schema.json is the normative description; models/README.md explains each field.</remarks>
public sealed record BundleManifest
{
    /// <summary>The manifest file's name inside a bundle.</summary>
    public const string FileName = "manifest.json";

    /// <summary>Optional "$schema" reference for editors; not interpreted.</summary>
    [JsonPropertyName("$schema")]
    public string? Schema { get; init; }

    public required string Name { get; init; }

    /// <summary>Semantic version 2.0.0 (see <see cref="SemanticVersion"/>).</summary>
    public required string Version { get; init; }

    /// <summary>"point-cloud-classification", "sensor-graph-anomaly" or another task name (<see cref="BundleTasks"/>).</summary>
    public required string Task { get; init; }

    /// <summary>When the bundle was packed, UTC.</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>Relative path of the ONNX graph to load; always a key of <see cref="Files"/>.</summary>
    public required string Model { get; init; }

    public required IReadOnlyList<TensorSpec> Inputs { get; init; }

    public required IReadOnlyList<TensorSpec> Outputs { get; init; }

    /// <summary>Every file of the bundle except manifest.json and manifest.sig, by relative path ('/'-separated).</summary>
    public required IReadOnlyDictionary<string, BundleFile> Files { get; init; }

    public required DatasetCard Dataset { get; init; }

    public Preprocessing? Preprocessing { get; init; }

    /// <summary>Class names, index = output class.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    public Calibration? Calibration { get; init; }

    public OodDetector? Ood { get; init; }

    public DriftReference? Drift { get; init; }

    public QuantizationRecord? Quantization { get; init; }

    public PruningRecord? Pruning { get; init; }

    public TrainingRecord? Training { get; init; }

    public EvaluationSummary? Evaluation { get; init; }

    /// <summary>Task- or vendor-specific sections that have no typed home yet; never interpreted by the runtime.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Extensions { get; init; }

    [JsonIgnore]
    public SemanticVersion ParsedVersion => SemanticVersion.Parse(Version);
}

/// <summary>Size and SHA-256 of one file listed in the manifest.</summary>
public sealed record BundleFile
{
    /// <summary>Lower-case hex SHA-256 of the file's bytes.</summary>
    public required string Sha256 { get; init; }

    public required long Size { get; init; }
}

/// <summary>Task names the runtime has pipelines for; any other kebab-case name is allowed.</summary>
public static class BundleTasks
{
    public const string PointCloudClassification = "point-cloud-classification";
    public const string SensorGraphAnomaly = "sensor-graph-anomaly";
}
