using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Optimize;

/// <summary>What one rewrite did: how many places it changed and the node count (all graphs) before and after.</summary>
internal sealed record RewriteReport(string Name, int Sites, int NodesBefore, int NodesAfter);

/// <summary>The input contract the optimizer may assume; the fixed-degree rewrite needs <see cref="KnnTargetMajor"/>.</summary>
internal enum InputContract
{
    None,

    /// <summary>edge_index[1] == repeat(arange(N), k) for the k of each graph (GeoEdge's KnnGraph order); checked at run time by the rewritten model.</summary>
    KnnTargetMajor,
}

/// <summary>Runs the rewrites in order on a copy of a model: BatchNorm folding first (so factorization carries it into the per-node products), then factorization, constant folding of shape arithmetic (before the aggregation rewrite moves the scatter's shape chain into an If branch), the aggregation rewrite and clean-up.</summary>
internal static class GraphOptimizer
{
    public static (ModelProto Model, List<RewriteReport> Reports) Optimize(ModelProto original, InputContract contract)
    {
        ModelProto model = original.Clone();
        var rewrites = new List<IGraphRewrite> { new BatchNormFolding(), new BatchNormMaxFolding(), new MessageFactorization(), new ConstantFolding() };
        if (contract == InputContract.KnnTargetMajor)
        {
            // Dead gathers left by factorization would otherwise look like readers of the scatter's inputs.
            rewrites.Add(new DeadNodeRemoval());
            rewrites.Add(new FixedDegreeAggregation());
        }

        rewrites.Add(new DeadNodeRemoval());
        var reports = new List<RewriteReport>(rewrites.Count);
        foreach (IGraphRewrite rewrite in rewrites)
        {
            int before = NodeCount(model);
            int sites = rewrite.Apply(model);
            reports.Add(new RewriteReport(rewrite.Name, sites, before, NodeCount(model)));
        }

        return (model, reports);
    }

    /// <summary>Nodes in the main graph and in every subgraph.</summary>
    public static int NodeCount(ModelProto model)
    {
        int count = 0;
        foreach (GraphProto g in OnnxGraphWalk.Graphs(model))
        {
            count += g.Node.Count;
        }

        return count;
    }
}
