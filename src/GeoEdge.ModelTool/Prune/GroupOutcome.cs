namespace GeoEdge.ModelTool.Prune;

/// <summary>What structured pruning did with one channel group: the producers, channels before/after, the removed channels, or why it was kept whole.</summary>
public sealed record GroupOutcome(IReadOnlyList<string> Producers, int ChannelsBefore, int ChannelsAfter, IReadOnlyList<int> Removed, string? Refusal);
