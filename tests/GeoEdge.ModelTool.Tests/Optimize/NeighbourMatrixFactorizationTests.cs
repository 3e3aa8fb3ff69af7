using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Tests.Optimize;

/// <summary>The [N,k] neighbour-matrix message form: MatMul(concat[x_i broadcast, x_j − x_i]) rewritten as Unsqueeze(x·A, 1) + Gather(x·B, nbr).</summary>
[Trait("Category", "Unit")]
public sealed class NeighbourMatrixFactorizationTests
{
    // W [2C, Cout] for MatMul: output 0 = x_i0 + 2 (x_j1 - x_i1); output 1 = 3 x_i1 - (x_j0 - x_i0).
    private static readonly float[] W = [1, 0, 0, 3, 0, -1, 2, 0];

    /// <summary>x [N,2], nbr [N,k]; x_j = x[nbr]; x_i = Expand or Tile of x.unsqueeze(1); y = cat[x_i, x_j − x_i (or x_j)] @ W.</summary>
    private static ModelProto NeighbourMessage(string repeat, bool difference)
    {
        var g = new GraphProto { Name = "knn_message" };
        g.Input.Add(TinyGraphs.Value("x", TensorData.Float, "N", 2));
        g.Input.Add(TinyGraphs.Value("nbr", TensorData.Int64, "N", "k"));
        g.Output.Add(TinyGraphs.Value("y", TensorData.Float, "N", "k", 2));
        g.Initializer.Add(TensorData.FromFloats("W", W, 4, 2));
        g.Initializer.Add(TensorData.FromInt64s("axis1", [1], 1));
        g.Node.Add(Nodes.Make("Gather", "x_j", ["x", "nbr"], ["xj"], Nodes.Int("axis", 0)));
        g.Node.Add(Nodes.Make("Unsqueeze", "x_1", ["x", "axis1"], ["x1"]));
        if (repeat == "Expand")
        {
            g.Node.Add(Nodes.Make("Shape", "shape_j", ["xj"], ["sj"]));
            g.Node.Add(Nodes.Make("Expand", "x_i", ["x1", "sj"], ["xi"]));
        }
        else
        {
            g.Node.Add(Nodes.Make("Shape", "shape_n", ["nbr"], ["sn"]));
            g.Initializer.Add(TensorData.FromInt64s("one_end", [1], 1));
            g.Initializer.Add(TensorData.FromInt64s("two_end", [2], 1));
            g.Initializer.Add(TensorData.FromInt64s("ones", [1], 1));
            g.Node.Add(Nodes.Make("Slice", "k", ["sn", "one_end", "two_end"], ["k"]));
            g.Node.Add(Nodes.Make("Concat", "reps", ["ones", "k", "ones"], ["reps"], Nodes.Int("axis", 0)));
            g.Node.Add(Nodes.Make("Tile", "x_i", ["x1", "reps"], ["xi"]));
        }

        string second = "xj";
        if (difference)
        {
            g.Node.Add(Nodes.Make("Sub", "rel", ["xj", "xi"], ["d"]));
            second = "d";
        }

        g.Node.Add(Nodes.Make("Concat", "cat", ["xi", second], ["c"], Nodes.Int("axis", -1)));
        g.Node.Add(Nodes.Make("MatMul", "lin", ["c", "W"], ["y"]));
        return TinyGraphs.Model(g);
    }

    private static double[] Run(ModelProto m) =>
        TinyGraphs.Run(m,
            new ProofTensor("x", [3, 2], [1, 2, 3, 4, 5, 6], null),
            new ProofTensor("nbr", [3, 2], null, [1, 2, 0, 0, 0, 2]));

    [Theory]
    [InlineData("Expand")]
    [InlineData("Tile")]
    public void The_broadcast_x_i_form_multiplies_per_node_and_gives_the_same_messages(string repeat)
    {
        ModelProto m = NeighbourMessage(repeat, difference: true);

        Assert.Equal(1, new MessageFactorization().Apply(m));
        new DeadNodeRemoval().Apply(m);

        Assert.Equal(["MatMul", "MatMul", "Unsqueeze", "Gather", "Add"], m.Graph.Node.Select(n => n.OpType));
        Assert.All(m.Graph.Node.Where(n => n.OpType == "MatMul"), n => Assert.Equal("x", n.Input[0]));

        // Node 0 (x_i = (1,2)) with j = 1 (3,4): (1 + 2*(4-2), 3*2 - (3-1)) = (5, 4); with j = 2 (5,6): (9, 2).
        // Node 1 (3,4) with j = 0 twice: (-1, 14). Node 2 (5,6) with j = 0: (-3, 22); with itself: (5, 18).
        Assert.Equal([5, 4, 9, 2, -1, 14, -1, 14, -3, 22, 5, 18], Run(m));
        Assert.Equal(Run(NeighbourMessage(repeat, difference: true)), Run(m));
    }

    [Fact]
    public void The_plain_concat_of_x_i_and_x_j_factorizes_too()
    {
        ModelProto m = NeighbourMessage("Expand", difference: false);

        Assert.Equal(1, new MessageFactorization().Apply(m));
        new DeadNodeRemoval().Apply(m);

        Assert.Equal(0, TinyGraphs.Count(m, "Concat"));

        // output 0 = x_i0 + 2 x_j1; output 1 = 3 x_i1 - x_j0. Node 0 with j = 1: (1 + 8, 6 - 3) = (9, 3).
        Assert.Equal([9, 3, 13, 1, 7, 11, 7, 11, 9, 17, 17, 13], Run(m));
    }

    [Fact]
    public void An_unsqueeze_on_another_axis_is_not_the_broadcast_form()
    {
        ModelProto m = NeighbourMessage("Expand", difference: true);
        m.Graph.Initializer.Single(t => t.Name == "axis1").RawData = TensorData.FromInt64s("", [0], 1).RawData;

        Assert.Equal(0, new MessageFactorization().Apply(m));
    }
}
