using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Tests.Optimize;

/// <summary>The scatter-to-reduction rewrite on a hand-built scatter sum: the dense branch on target-major edges, the original scatter on anything else.</summary>
[Trait("Category", "Unit")]
public sealed class FixedDegreeAggregationTests
{
    private static readonly float[] Messages = [1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60];

    private static ModelProto Rewritten()
    {
        ModelProto m = TinyGraphs.ScatterSum();
        Assert.Equal(1, new FixedDegreeAggregation().Apply(m));
        new DeadNodeRemoval().Apply(m);
        return m;
    }

    private static double[] Run(ModelProto m, long[] targets, float[] messages) =>
        TinyGraphs.Run(m,
            new ProofTensor("x", [3, 2], new float[6], null),
            new ProofTensor("msg", [messages.Length / 2, 2], messages, null),
            new ProofTensor("t", [targets.Length], null, targets));

    [Fact]
    public void The_scatter_moves_into_the_else_branch_of_one_if()
    {
        ModelProto m = Rewritten();

        Assert.Equal(0, TinyGraphs.Count(m, "ScatterElements"));
        NodeProto @if = Assert.Single(m.Graph.Node, n => n.OpType == "If");
        Assert.Equal("out", Assert.Single(@if.Output));
        GraphProto elseBranch = @if.Attribute.Single(a => a.Name == "else_branch").G;
        GraphProto thenBranch = @if.Attribute.Single(a => a.Name == "then_branch").G;
        Assert.Contains(elseBranch.Node, n => n.OpType == "ScatterElements");
        Assert.Equal(["Constant", "Slice", "Concat", "Reshape", "Constant", "ReduceSum"], thenBranch.Node.Select(n => n.OpType));
    }

    [Fact]
    public void Target_major_edges_with_two_per_node_sum_in_pairs()
    {
        Assert.Equal([3, 30, 7, 70, 11, 110], Run(Rewritten(), [0, 0, 1, 1, 2, 2], Messages));
    }

    [Fact]
    public void Shuffled_edges_take_the_scatter_and_give_its_sums()
    {
        long[] t = [2, 0, 1, 0, 2, 1];

        Assert.Equal([6, 60, 9, 90, 6, 60], Run(Rewritten(), t, Messages));
        Assert.Equal(Run(TinyGraphs.ScatterSum(), t, Messages), Run(Rewritten(), t, Messages));
    }

    [Fact]
    public void Variable_degree_with_e_a_multiple_of_n_takes_the_scatter()
    {
        Assert.Equal([6, 60, 4, 40, 11, 110], Run(Rewritten(), [0, 0, 0, 1, 2, 2], Messages));
    }

    [Fact]
    public void Edge_count_not_a_multiple_of_n_takes_the_scatter()
    {
        Assert.Equal([3, 30, 3, 30, 9, 90], Run(Rewritten(), [0, 0, 1, 2, 2], Messages[..10]));
    }

    [Fact]
    public void No_edges_give_zeros_instead_of_a_division_by_zero()
    {
        Assert.Equal([0, 0, 0, 0, 0, 0], Run(Rewritten(), [], []));
    }

    [Fact]
    public void Without_a_scatter_nothing_is_rewritten()
    {
        ModelProto m = TinyGraphs.EdgeConvMessage(new float[8], new float[2]);

        Assert.Equal(0, new FixedDegreeAggregation().Apply(m));
    }
}
