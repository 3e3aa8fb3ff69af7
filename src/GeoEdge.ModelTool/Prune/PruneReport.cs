namespace GeoEdge.ModelTool.Prune;

/// <summary>Everything `geoedge-model prune` measured: per-layer sparsity or per-group channels, cost before/after, the proof and the accuracies.</summary>
public sealed record PruneReport(
    string Mode,
    double Amount,
    string? Norm,
    IReadOnlyList<LayerSparsity> Layers,
    IReadOnlyList<GroupOutcome> Groups,
    long FlopsBefore,
    long FlopsAfter,
    long ParametersBefore,
    long ParametersAfter,
    string ProofInput,
    IReadOnlyList<OutputChange> Changes,
    double? MaskedProofError,
    int? TestSamples,
    double? AccuracyBefore,
    double? AccuracyAfter);
