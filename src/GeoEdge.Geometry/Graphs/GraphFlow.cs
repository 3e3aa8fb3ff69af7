namespace GeoEdge.Geometry.Graphs;

/// <summary>Which way messages flow along an edge, as PyTorch Geometric's <c>flow</c> argument.</summary>
public enum GraphFlow
{
    /// <summary>PyG <c>source_to_target</c>: row 0 holds the neighbour j, row 1 the centre i.</summary>
    SourceToTarget,

    /// <summary>PyG <c>target_to_source</c>: row 0 holds the centre i, row 1 the neighbour j.</summary>
    TargetToSource,
}
