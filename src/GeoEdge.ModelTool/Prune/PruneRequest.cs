namespace GeoEdge.ModelTool.Prune;

/// <summary>What to prune: a per-layer sparsity (unstructured) or a channel ratio with its norm (structured), and an optional labelled test split.</summary>
/// <remarks><see cref="ChannelMultiple"/>: structured pruning keeps a multiple of this many channels per group (rounding the kept
/// count up), because a kernel that computes channels in SIMD blocks pads a partial block: ONNX Runtime's x64 NCHWc convolutions
/// work in blocks of 8 (AVX2) or 16 (AVX-512), so 16 -> 12 channels costs as much as 16.</remarks>
public sealed record PruneRequest(double? Sparsity, double? Ratio, ChannelNorm Norm, string? DataPath, int ChannelMultiple = 1);
