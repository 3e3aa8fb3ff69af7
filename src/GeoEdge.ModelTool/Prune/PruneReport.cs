namespace GeoEdge.ModelTool.Prune;

/// <summary>Everything `geoedge-model prune` measured: per-layer sparsity or per-group channels, cost before/after, the proof and the accuracies.</summary>
/// <remarks><see cref="ManifestSparsity"/> is the manifest pruning section's sparsity: the fraction of zero weights in the
/// pruned layers (unstructured) or of float parameters removed (structured).</remarks>
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
    double ManifestSparsity,
    int? TestSamples,
    double? AccuracyBefore,
    double? AccuracyAfter)
{
    /// <summary>The manifest pruning section's method: "magnitude" (unstructured) or "channel-l1"/"channel-l2".</summary>
    public string ManifestMethod => Mode == "unstructured" ? "magnitude" : $"channel-{Norm}";
}
