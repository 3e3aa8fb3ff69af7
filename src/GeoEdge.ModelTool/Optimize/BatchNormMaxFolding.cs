using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Optimize;

/// <summary>Folds BatchNormalization(a_i + max_j b_j) into the per-node products a = Conv/Gemm(x) and b = Conv/Gemm(x) of an already factorized EdgeConv.</summary>
/// <remarks>
/// This is the form shapes-dgcnn exports (its recipe computes lin_i = T1 - T2 and lin_j = T2 per node, gathers
/// lin_j by the [N,k] neighbour matrix and takes the max): s * (a + max_j b_j) + t = (s*a + t) + max_j (s*b_j)
/// holds channel by channel when every scale s is positive, because the ops between b and the Add (Transpose,
/// Reshape, Gather, ReduceMax, Squeeze, Unsqueeze) only move or select elements. A layout change that mixed
/// channels would break that; the optimize verb's proof run would then refuse the output.
/// </remarks>
internal sealed class BatchNormMaxFolding : IGraphRewrite
{
    private static readonly HashSet<string> Movers = new(StringComparer.Ordinal) { "Transpose", "Reshape", "Gather", "Squeeze", "Unsqueeze", "ReduceMax" };

    public string Name => "fold-batchnorm-into-node-products";

    public int Apply(ModelProto model)
    {
        var index = new GraphIndex(model.Graph);
        int count = 0;
        foreach (NodeProto bn in model.Graph.Node.ToArray())
        {
            if (BatchNormFolding.Affine(index, bn) is not (float[] scale, float[] shift)
                || Array.Exists(scale, static s => !(s > 0))
                || index.Producer(bn.Input[0]) is not { OpType: "Add" } add
                || !index.HasSingleUse(bn.Input[0]))
            {
                continue;
            }

            for (int side = 0; side < 2; side++)
            {
                NodeProto? direct = index.Producer(add.Input[side]);
                NodeProto? gathered = MaxBranchSource(index, add.Input[1 - side]);
                if (direct is null || gathered is null || ReferenceEquals(direct, gathered) || !index.HasSingleUse(add.Input[side])
                    || !ChannelAffine.CanApply(index, direct, scale.Length) || !ChannelAffine.CanApply(index, gathered, scale.Length))
                {
                    continue;
                }

                ChannelAffine.Apply(index, direct, scale, shift);
                ChannelAffine.Apply(index, gathered, scale, null);
                add.Output[0] = bn.Output[0];
                model.Graph.Node.Remove(bn);
                index.Rebuild();
                count++;
                break;
            }
        }

        return count;
    }

    /// <summary>The Gemm/Conv at the start of a chain of element-moving ops containing one ReduceMax, each step used only by the next.</summary>
    private static NodeProto? MaxBranchSource(GraphIndex index, string value)
    {
        bool sawMax = false;
        for (int depth = 0; depth < 16; depth++)
        {
            if (!index.HasSingleUse(value) || index.Producer(value) is not { } node)
            {
                return null;
            }

            if (node.OpType is "Gemm" or "Conv")
            {
                return sawMax ? node : null;
            }

            if (!Movers.Contains(node.OpType) || node.Output.Count != 1 || (node.OpType == "Gather" && GraphIndex.AttrInt(node, "axis", 0) != 0))
            {
                return null;
            }

            sawMax |= node.OpType == "ReduceMax";
            value = node.Input[0];
        }

        return null;
    }
}
