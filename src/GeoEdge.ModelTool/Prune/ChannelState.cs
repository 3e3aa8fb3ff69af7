namespace GeoEdge.ModelTool.Prune;

/// <summary>Where a group's channels sit in one value: the axis, and the offset of each copy along it (a concat places them after other inputs).</summary>
internal sealed record ChannelState(int Axis, IReadOnlyList<long> Offsets)
{
    public bool SameAs(ChannelState other) => Axis == other.Axis && Offsets.SequenceEqual(other.Offsets);

    /// <summary>The positions along <see cref="Axis"/> that hold the removed channels.</summary>
    public HashSet<int> Positions(IReadOnlySet<int> removed)
    {
        var positions = new HashSet<int>();
        foreach (long offset in Offsets)
        {
            foreach (int c in removed)
            {
                positions.Add((int)offset + c);
            }
        }

        return positions;
    }
}
