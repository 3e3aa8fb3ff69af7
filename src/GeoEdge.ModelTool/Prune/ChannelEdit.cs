namespace GeoEdge.ModelTool.Prune;

/// <summary>Positions to remove along one axis of one initializer; consumer-side edits are the ones a masked proof model zeroes instead.</summary>
internal sealed record ChannelEdit(string Initializer, int Axis, IReadOnlySet<int> Positions, bool ConsumerSide);
