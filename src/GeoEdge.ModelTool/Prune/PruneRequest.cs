namespace GeoEdge.ModelTool.Prune;

/// <summary>What to prune: a per-layer sparsity (unstructured) or a channel ratio with its norm (structured), and an optional labelled test split.</summary>
public sealed record PruneRequest(double? Sparsity, double? Ratio, ChannelNorm Norm, string? DataPath);
