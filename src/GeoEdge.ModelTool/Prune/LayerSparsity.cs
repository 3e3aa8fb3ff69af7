namespace GeoEdge.ModelTool.Prune;

/// <summary>One weight layer's zero count before and after unstructured pruning.</summary>
public sealed record LayerSparsity(string Node, string Weight, IReadOnlyList<long> Shape, long Elements, long ZerosBefore, long ZerosAfter)
{
    public double SparsityAfter => Elements == 0 ? 0 : (double)ZerosAfter / Elements;
}
