using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Optimize;

/// <summary>Folds an inference-mode BatchNormalization into the Gemm, Conv or rank-2 MatMul (+ bias Add) that alone feeds it.</summary>
/// <remarks>BN(y) = s * y + (beta - s * mean) with s = gamma / sqrt(var + eps), per channel (axis 1, which is a Gemm's
/// and a Conv's output channel). ONNX Runtime fuses Conv+BN itself but not Gemm+BN, which PyTorch's Linear+BatchNorm1d exports.</remarks>
internal sealed class BatchNormFolding : IGraphRewrite
{
    public string Name => "fold-batchnorm";

    public int Apply(ModelProto model)
    {
        var index = new GraphIndex(model.Graph);
        var shapes = new StaticShapes(index, FixedDegreeAggregation.DefaultOpset(model));
        int count = 0;
        foreach (NodeProto bn in model.Graph.Node.ToArray())
        {
            if (Affine(index, bn) is not (float[] scale, float[] shift)
                || index.Producer(bn.Input[0]) is not { } producer
                || !index.HasSingleUse(bn.Input[0]))
            {
                continue;
            }

            if (!ChannelAffine.CanApply(index, producer, scale.Length))
            {
                // BN's channel axis 1 is a MatMul's last axis only for a rank-2 product ([E, C]: a Linear without bias).
                if (shapes.Of(bn.Input[0]) is { Length: 2 } && MatMulAffine.TryApply(index, model.Graph, producer, scale, shift, bn.Output[0]))
                {
                    model.Graph.Node.Remove(bn);
                    index.Rebuild();
                    count++;
                }

                continue;
            }

            ChannelAffine.Apply(index, producer, scale, shift);
            producer.Output[0] = bn.Output[0];
            model.Graph.Node.Remove(bn);
            index.Rebuild();
            count++;
        }

        return count;
    }

    /// <summary>The per-channel (scale, shift) of an inference-mode BatchNormalization with constant parameters, else null.</summary>
    internal static (float[] Scale, float[] Shift)? Affine(GraphIndex index, NodeProto bn)
    {
        if (bn.OpType != "BatchNormalization" || bn.Input.Count != 5 || bn.Output.Count != 1
            || GraphIndex.AttrInt(bn, "training_mode", 0) != 0)
        {
            return null;
        }

        float[]? gamma = index.ConstantFloats(bn.Input[1]);
        float[]? beta = index.ConstantFloats(bn.Input[2]);
        float[]? mean = index.ConstantFloats(bn.Input[3]);
        float[]? variance = index.ConstantFloats(bn.Input[4]);
        if (gamma is null || beta is null || mean is null || variance is null
            || beta.Length != gamma.Length || mean.Length != gamma.Length || variance.Length != gamma.Length)
        {
            return null;
        }

        double eps = GraphIndex.AttrFloat(bn, "epsilon", 1e-5f);
        var scale = new float[gamma.Length];
        var shift = new float[gamma.Length];
        for (int c = 0; c < gamma.Length; c++)
        {
            double s = gamma[c] / Math.Sqrt(variance[c] + eps);
            scale[c] = (float)s;
            shift[c] = (float)(beta[c] - (s * mean[c]));
        }

        return (scale, shift);
    }
}
