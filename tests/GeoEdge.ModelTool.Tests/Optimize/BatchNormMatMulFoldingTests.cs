using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Tests.Optimize;

/// <summary>BatchNormalization folded into a rank-2 MatMul (a Linear without bias, or with its bias as an Add), with exact values.</summary>
[Trait("Category", "Unit")]
public sealed class BatchNormMatMulFoldingTests
{
    /// <summary>x [N,2] @ W [2,3] (+ b), then BN with epsilon 0 and var 4: scale = gamma / 2 = (1, 0.5, 2), shift = beta − scale·mean = (−0.5, −1, −1).</summary>
    private static ModelProto LinearBatchNorm(bool bias, params object[] xDims)
    {
        var g = new GraphProto { Name = "linear_bn" };
        g.Input.Add(TinyGraphs.Value("x", TensorData.Float, xDims));
        g.Output.Add(TinyGraphs.Value("out", TensorData.Float, "N", 3));
        g.Initializer.Add(TensorData.FromFloats("W", [1, 0, 2, 0, 1, -1], 2, 3));
        g.Initializer.Add(TensorData.FromFloats("b", [1, 2, -1], 3));
        g.Initializer.Add(TensorData.FromFloats("gamma", [2, 1, 4], 3));
        g.Initializer.Add(TensorData.FromFloats("beta", [0.5f, 0, -1], 3));
        g.Initializer.Add(TensorData.FromFloats("mean", [1, 2, 0], 3));
        g.Initializer.Add(TensorData.FromFloats("var", [4, 4, 4], 3));
        g.Node.Add(Nodes.Make("MatMul", "lin", ["x", "W"], ["y"]));
        string bnInput = "y";
        if (bias)
        {
            g.Node.Add(Nodes.Make("Add", "lin_bias", ["y", "b"], ["yb"]));
            bnInput = "yb";
        }

        g.Node.Add(Nodes.Make("BatchNormalization", "bn", [bnInput, "gamma", "beta", "mean", "var"], ["out"], Nodes.Float("epsilon", 0f)));
        return TinyGraphs.Model(g);
    }

    private static float[] Weights(ModelProto m, string name) =>
        TensorData.Floats(m.Graph.Initializer.Single(t => t.Name == name)) ?? throw new InvalidOperationException(name + " is not float32");

    private static double[] Run(ModelProto m) => TinyGraphs.Run(m, new ProofTensor("x", [2, 2], [1, 2, 3, -1], null));

    [Fact]
    public void A_matmul_without_bias_gets_the_scale_in_its_columns_and_an_add_of_the_shift()
    {
        ModelProto m = LinearBatchNorm(false, "N", 2);

        Assert.Equal(1, new BatchNormFolding().Apply(m));
        new DeadNodeRemoval().Apply(m);

        Assert.Equal(["MatMul", "Add"], m.Graph.Node.Select(n => n.OpType));
        Assert.Equal([1f, 0, 4, 0, 0.5f, -2], Weights(m, m.Graph.Node[0].Input[1]));
        Assert.Equal([-0.5f, -1, -1], Weights(m, m.Graph.Node[1].Input[1]));

        // x @ W = [[1, 2, 0], [3, -1, 7]] -> BN -> [[0.5, 0, -1], [2.5, -1.5, 13]].
        Assert.Equal([0.5, 0, -1, 2.5, -1.5, 13], Run(m));
    }

    [Fact]
    public void A_matmul_with_a_bias_add_keeps_one_add_with_the_folded_bias()
    {
        ModelProto m = LinearBatchNorm(true, "N", 2);

        Assert.Equal(1, new BatchNormFolding().Apply(m));
        new DeadNodeRemoval().Apply(m);

        Assert.Equal(["MatMul", "Add"], m.Graph.Node.Select(n => n.OpType));
        Assert.Equal("out", m.Graph.Node[1].Output[0]);

        // bias' = b * scale + shift = (0.5, 0, -3); x @ W + b = [[2, 4, -1], [4, 1, 6]] -> [[1.5, 1, -3], [3.5, -0.5, 11]].
        Assert.Equal([0.5f, 0, -3], Weights(m, m.Graph.Node[1].Input[1]));
        Assert.Equal([1.5, 1, -3, 3.5, -0.5, 11], Run(m));
    }

    [Fact]
    public void A_rank_three_product_is_not_folded_because_bn_normalizes_axis_one_not_the_last()
    {
        ModelProto m = LinearBatchNorm(false, "B", 3, 2); // [B,3,2] @ [2,3] = [B,3,3]: BN's channels are the 3 rows

        Assert.Equal(0, new BatchNormFolding().Apply(m));
        Assert.Equal(1, TinyGraphs.Count(m, "BatchNormalization"));
    }
}
