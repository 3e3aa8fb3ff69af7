using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;
using GeoEdge.ModelTool.Tests.Optimize;

namespace GeoEdge.ModelTool.Tests.Prune;

/// <summary>Hand-built graphs for pruning whose pruned weights and outputs can be worked out on paper.</summary>
internal static class PruneGraphs
{
    /// <summary>W1 columns: L1 norms 4, 2.1, 2.8; L2 norms 3.16, 2.0025, 1.98 — so L1 and L2 pick different channels.</summary>
    public static readonly float[] W1 = [1f, -2f, 1.4f, 3f, 0.1f, 1.4f];

    public static readonly float[] B1 = [0.5f, -0.5f, 0.25f];

    public static readonly float[] W2 = [1f, 2f, -1f];

    /// <summary>y [N,1] = Relu(x [N,2] @ W1 [2,3] + b1) @ W2 [3,1] + 0.1: a 2-layer MLP with 3 hidden channels.</summary>
    public static ModelProto Mlp()
    {
        var g = new GraphProto { Name = "mlp" };
        g.Input.Add(TinyGraphs.Value("x", TensorData.Float, "N", 2));
        g.Output.Add(TinyGraphs.Value("y", TensorData.Float, "N", 1));
        g.Initializer.Add(TensorData.FromFloats("W1", W1, 2, 3));
        g.Initializer.Add(TensorData.FromFloats("b1", B1, 3));
        g.Initializer.Add(TensorData.FromFloats("W2", W2, 3, 1));
        g.Initializer.Add(TensorData.FromFloats("b2", [0.1f], 1));
        g.Node.Add(Nodes.Make("MatMul", "fc1", ["x", "W1"], ["h0"]));
        g.Node.Add(Nodes.Make("Add", "bias1", ["h0", "b1"], ["h1"]));
        g.Node.Add(Nodes.Make("Relu", "relu", ["h1"], ["h"]));
        g.Node.Add(Nodes.Make("MatMul", "fc2", ["h", "W2"], ["y0"]));
        g.Node.Add(Nodes.Make("Add", "bias2", ["y0", "b2"], ["y"]));
        return TinyGraphs.Model(g);
    }

    /// <summary>h = Relu(x @ Wa [2,3]) feeds fc_b (yb = h @ Wb [3,2]) and a concat [x, h] (yc = concat @ Wc [5,1]), so h's channels sit at offset 2 there.</summary>
    public static ModelProto SharedAndConcat()
    {
        var g = new GraphProto { Name = "shared" };
        g.Input.Add(TinyGraphs.Value("x", TensorData.Float, "N", 2));
        g.Output.Add(TinyGraphs.Value("yb", TensorData.Float, "N", 2));
        g.Output.Add(TinyGraphs.Value("yc", TensorData.Float, "N", 1));
        g.Initializer.Add(TensorData.FromFloats("Wa", W1, 2, 3));
        g.Initializer.Add(TensorData.FromFloats("Wb", [1f, 2f, 3f, 4f, 5f, 6f], 3, 2));
        g.Initializer.Add(TensorData.FromFloats("Wc", [10f, 20f, 30f, 40f, 50f], 5, 1));
        g.Node.Add(Nodes.Make("MatMul", "fc_a", ["x", "Wa"], ["h0"]));
        g.Node.Add(Nodes.Make("Relu", "relu", ["h0"], ["h"]));
        g.Node.Add(Nodes.Make("MatMul", "fc_b", ["h", "Wb"], ["yb"]));
        g.Node.Add(Nodes.Make("Concat", "cat", ["x", "h"], ["c"], Nodes.Int("axis", -1)));
        g.Node.Add(Nodes.Make("MatMul", "fc_c", ["c", "Wc"], ["yc"]));
        return TinyGraphs.Model(g);
    }

    /// <summary>x @ W [2,4], reshaped to [-1, 2] (mixing each row's four channels into two rows) and back, then @ V [4,1].</summary>
    public static ModelProto ChannelMixingReshape()
    {
        var g = new GraphProto { Name = "mixing" };
        g.Input.Add(TinyGraphs.Value("x", TensorData.Float, "N", 2));
        g.Output.Add(TinyGraphs.Value("y", TensorData.Float, "N", 1));
        g.Initializer.Add(TensorData.FromFloats("W", [1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], 2, 4));
        g.Initializer.Add(TensorData.FromInt64s("pairs", [-1, 2], 2));
        g.Initializer.Add(TensorData.FromInt64s("rows", [-1, 4], 2));
        g.Initializer.Add(TensorData.FromFloats("V", [1f, 1f, 1f, 1f], 4, 1));
        g.Node.Add(Nodes.Make("MatMul", "fc", ["x", "W"], ["h"]));
        g.Node.Add(Nodes.Make("Reshape", "mix", ["h", "pairs"], ["p"]));
        g.Node.Add(Nodes.Make("Relu", "relu", ["p"], ["r"]));
        g.Node.Add(Nodes.Make("Reshape", "unmix", ["r", "rows"], ["u"]));
        g.Node.Add(Nodes.Make("MatMul", "out", ["u", "V"], ["y"]));
        return TinyGraphs.Model(g);
    }

    /// <summary>Rows are sensors: h [S=2,3] = Relu(x [2,2] @ W1 + b1), mixed across sensors by a constant A [2,2] (m = A @ h, as a
    /// graph convolution does), then y [2,1] = m @ W2 + 0.1. A = [[0.5, 0.5], [0, 1]].</summary>
    public static ModelProto AdjacencyMixing() => Mixing(transposed: false);

    /// <summary>Like <see cref="AdjacencyMixing"/> but A [3,3] multiplies h transposed [3,S], so it contracts the channels; then transposed back.</summary>
    public static ModelProto ChannelContractingMatMul() => Mixing(transposed: true);

    private static ModelProto Mixing(bool transposed)
    {
        var g = new GraphProto { Name = "adjacency" };
        g.Input.Add(TinyGraphs.Value("x", TensorData.Float, 2, 2));
        g.Output.Add(TinyGraphs.Value("y", TensorData.Float, 2, 1));
        g.Initializer.Add(TensorData.FromFloats("W1", W1, 2, 3));
        g.Initializer.Add(TensorData.FromFloats("b1", B1, 3));
        g.Initializer.Add(transposed ? TensorData.FromFloats("A", [1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f], 3, 3) : TensorData.FromFloats("A", [0.5f, 0.5f, 0f, 1f], 2, 2));
        g.Initializer.Add(TensorData.FromFloats("W2", W2, 3, 1));
        g.Initializer.Add(TensorData.FromFloats("b2", [0.1f], 1));
        g.Node.Add(Nodes.Make("MatMul", "fc1", ["x", "W1"], ["h0"]));
        g.Node.Add(Nodes.Make("Add", "bias1", ["h0", "b1"], ["h1"]));
        g.Node.Add(Nodes.Make("Relu", "relu", ["h1"], ["h"]));
        if (transposed)
        {
            g.Node.Add(Nodes.Make("Transpose", "t", ["h"], ["ht"], Nodes.Ints("perm", [1, 0])));
            g.Node.Add(Nodes.Make("MatMul", "mix", ["A", "ht"], ["mt"]));
            g.Node.Add(Nodes.Make("Transpose", "back", ["mt"], ["m"], Nodes.Ints("perm", [1, 0])));
        }
        else
        {
            g.Node.Add(Nodes.Make("MatMul", "mix", ["A", "h"], ["m"]));
        }

        g.Node.Add(Nodes.Make("MatMul", "fc2", ["m", "W2"], ["y0"]));
        g.Node.Add(Nodes.Make("Add", "bias2", ["y0", "b2"], ["y"]));
        return TinyGraphs.Model(g);
    }

    public static float[] Weights(ModelProto m, string name) => TensorData.Floats(m.Graph.Initializer.Single(t => t.Name == name))!;

    public static long[] Dims(ModelProto m, string name) => TensorData.Dims(m.Graph.Initializer.Single(t => t.Name == name));
}
