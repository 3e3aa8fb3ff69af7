using System.Text.Json;
using System.Text.Json.Serialization;

namespace GeoEdge.Inference.Bundles;

/// <summary>How the graph was quantized ("none", "dynamic", "static", "qat") and to which element types.</summary>
public sealed record QuantizationRecord
{
    public required string Method { get; init; }

    public string? WeightType { get; init; }

    public string? ActivationType { get; init; }

    public bool? PerChannel { get; init; }

    public int? CalibrationSamples { get; init; }

    // A settable (not init) property: System.Text.Json cannot bind extension data through the init-only path.
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}

/// <summary>How the graph was pruned and the fraction of weights removed (0..1).</summary>
public sealed record PruningRecord
{
    public required string Method { get; init; }

    public required double Sparsity { get; init; }

    public bool? Structured { get; init; }

    // A settable (not init) property: System.Text.Json cannot bind extension data through the init-only path.
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}

/// <summary>Dataset card: which data trained the model, under which licence, and the hashes that pin it.</summary>
public sealed record DatasetCard
{
    public required string Name { get; init; }

    public required string Licence { get; init; }

    /// <summary>SHA-256 of the dataset as a whole (e.g. of its archive or of the sorted file hashes).</summary>
    public string? Sha256 { get; init; }

    /// <summary>SHA-256 of each data file, by file name.</summary>
    public IReadOnlyDictionary<string, string>? Files { get; init; }

    /// <summary>The script or tool that generated synthetic data.</summary>
    public string? Generator { get; init; }

    public long? Seed { get; init; }

    /// <summary>Samples per split ("train", "val", "test").</summary>
    public IReadOnlyDictionary<string, long>? Sizes { get; init; }

    public string? Source { get; init; }

    // A settable (not init) property: System.Text.Json cannot bind extension data through the init-only path.
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}

/// <summary>How the model was trained: epochs and the accuracy reached, plus any recipe-specific fields.</summary>
public sealed record TrainingRecord
{
    public int? Epochs { get; init; }

    public double? Accuracy { get; init; }

    public string? Recipe { get; init; }

    // A settable (not init) property: System.Text.Json cannot bind extension data through the init-only path.
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}

/// <summary>Metrics measured on held-out data, by metric name, and on which split.</summary>
public sealed record EvaluationSummary
{
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    public string? Split { get; init; }

    public long? Samples { get; init; }

    // A settable (not init) property: System.Text.Json cannot bind extension data through the init-only path.
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}
