using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Tests.Optimize;

/// <summary>W·[x_i, x_j − x_i] + b rewritten as gather((W_a − W_b)·x + b, i) + gather(W_b·x, j) on a hand-checkable graph.</summary>
[Trait("Category", "Unit")]
public sealed class MessageFactorizationTests
{
    // Row o of W is [W_a | W_b]: output 0 = x_i0 + 2 (x_j1 - x_i1); output 1 = 3 x_i1 - (x_j0 - x_i0).
    private static readonly float[] W = [1, 0, 0, 2, 0, 3, -1, 0];
    private static readonly float[] B = [0.5f, -1];

    private static double[] Run(ModelProto m) =>
        TinyGraphs.Run(m,
            new ProofTensor("x", [3, 2], [1, 2, 3, 4, 5, 6], null),
            new ProofTensor("edge_index", [2, 3], null, [1, 2, 0, 0, 0, 2]));

    [Fact]
    public void The_product_runs_per_node_and_the_result_is_unchanged()
    {
        ModelProto m = TinyGraphs.EdgeConvMessage(W, B);

        Assert.Equal(1, new MessageFactorization().Apply(m));
        new DeadNodeRemoval().Apply(m);

        Assert.Equal(["Gather", "Gather", "Gemm", "Gemm", "Gather", "Gather", "Add"], m.Graph.Node.Select(n => n.OpType));
        foreach (NodeProto gemm in m.Graph.Node.Where(n => n.OpType == "Gemm"))
        {
            Assert.Equal("x", gemm.Input[0]);
        }

        // Edges (j -> i): 1->0, 2->0, 0->2. Edge 0: x_i = (1,2), x_j = (3,4): (1 + 2*2 + 0.5, 3*2 - 2 - 1) = (5.5, 3).
        Assert.Equal([5.5, 3, 9.5, 1, -2.5, 21], Run(m));
        Assert.Equal(Run(TinyGraphs.EdgeConvMessage(W, B)), Run(m));
    }

    [Fact]
    public void A_gemm_whose_input_is_no_gathered_concat_is_left_alone()
    {
        ModelProto m = TinyGraphs.EdgeConvMessage(W, B);
        NodeProto sub = m.Graph.Node.Single(n => n.OpType == "Sub");
        sub.Input[0] = "xi"; // x_i - x_i: still a Sub of gathers, but of the same index on both sides
        m.Graph.Node.Single(n => n.OpType == "Concat").Input[1] = "x_other";
        m.Graph.Input.Add(TinyGraphs.Value("x_other", TensorData.Float, "E", 2));

        Assert.Equal(0, new MessageFactorization().Apply(m));
    }
}
