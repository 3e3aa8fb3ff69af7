using System.Text.Json;
using System.Text.Json.Serialization;

namespace GeoEdge.Inference.Bundles;

/// <summary>How raw input becomes the model's tensors: point-cloud fields, sensor windowing fields, and task-specific extras.</summary>
public sealed record Preprocessing
{
    /// <summary>Points per cloud after sampling (point-cloud tasks).</summary>
    public int? Points { get; init; }

    /// <summary>Sampling method, e.g. "fps", "grid", "random" (point-cloud tasks).</summary>
    public string? Sampling { get; init; }

    /// <summary>Normalisation, e.g. "unit-sphere", "center", "none".</summary>
    public string? Normalize { get; init; }

    public KnnPreprocessing? Knn { get; init; }

    /// <summary>Samples per window (sensor tasks).</summary>
    public int? Window { get; init; }

    /// <summary>Samples between window starts (sensor tasks).</summary>
    public int? Stride { get; init; }

    /// <summary>Sensor sampling rate in hertz (sensor tasks).</summary>
    public double? SampleRateHz { get; init; }

    /// <summary>Sensor channel or node feature names, in tensor order (sensor tasks).</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>Every other preprocessing field, kept as written so task-specific parameters survive a round trip.</summary>
    // A settable (not init) property: System.Text.Json cannot bind extension data through the init-only path.
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}

/// <summary>The kNN graph the model was trained on: k neighbours, with or without self-loops (PyG <c>knn_graph(loop=...)</c>).</summary>
public sealed record KnnPreprocessing
{
    public required int K { get; init; }

    public required bool Loop { get; init; }
}
