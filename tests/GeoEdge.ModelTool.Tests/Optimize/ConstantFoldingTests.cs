using Google.Protobuf;
using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Tests.Optimize;

/// <summary>Shape arithmetic and ops on constants folded into initializers, with the exact folded values, on hand-built graphs and the scatter model.</summary>
[Trait("Category", "Unit")]
public sealed class ConstantFoldingTests
{
    private static long[] Folded(ModelProto m, string value) =>
        TensorData.Int64s(m.Graph.Initializer.Single(t => t.Name == value)) ?? throw new InvalidOperationException(value + " is not int64");

    private static bool IsInitializer(ModelProto m, string value) => m.Graph.Initializer.Any(t => t.Name == value);

    /// <summary>y = Gemm(x [N,3], W [4,3]); out = Reshape(y, Concat(Unsqueeze(Shape(x)[0]), Unsqueeze(Shape(y)[1]))): torch's y.view(y.size(0), y.size(1)).</summary>
    private static ModelProto ShapeChain()
    {
        var g = new GraphProto { Name = "shape_chain" };
        g.Input.Add(TinyGraphs.Value("x", TensorData.Float, "N", 3));
        g.Output.Add(TinyGraphs.Value("out", TensorData.Float, "N", 4));
        g.Initializer.Add(TensorData.FromFloats("W", [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1], 4, 3));
        g.Initializer.Add(TensorData.FromInt64s("zero", [0]));
        g.Initializer.Add(TensorData.FromInt64s("one", [1]));
        g.Initializer.Add(TensorData.FromInt64s("axis0", [0], 1));
        g.Node.Add(Nodes.Make("Gemm", "lin", ["x", "W"], ["y"], Nodes.Int("transB", 1)));
        g.Node.Add(Nodes.Make("Shape", "shape_x", ["x"], ["sx"]));
        g.Node.Add(Nodes.Make("Gather", "n", ["sx", "zero"], ["n"], Nodes.Int("axis", 0)));
        g.Node.Add(Nodes.Make("Shape", "shape_y", ["y"], ["sy"]));
        g.Node.Add(Nodes.Make("Gather", "c", ["sy", "one"], ["c"], Nodes.Int("axis", 0)));
        g.Node.Add(Nodes.Make("Unsqueeze", "un", ["n", "axis0"], ["n1"]));
        g.Node.Add(Nodes.Make("Unsqueeze", "uc", ["c", "axis0"], ["c1"]));
        g.Node.Add(Nodes.Make("Concat", "cat", ["n1", "c1"], ["shape"], Nodes.Int("axis", 0)));
        g.Node.Add(Nodes.Make("Reshape", "view", ["y", "shape"], ["out"]));
        return TinyGraphs.Model(g);
    }

    [Fact]
    public void A_static_dim_read_through_shape_gather_unsqueeze_becomes_a_constant_and_the_dynamic_one_stays()
    {
        ModelProto m = ShapeChain();

        Assert.Equal(2, new ConstantFolding().Apply(m)); // Gather(Shape(y), 1) through the partial vector [N?, 4], then its Unsqueeze
        Assert.Equal(4L, Assert.Single(Folded(m, "c")));
        new DeadNodeRemoval().Apply(m);

        Assert.Equal([4L], Folded(m, "c1"));
        Assert.Equal(["Gemm", "Shape", "Gather", "Unsqueeze", "Concat", "Reshape"], m.Graph.Node.Select(n => n.OpType));
        Assert.Equal("x", m.Graph.Node.Single(n => n.OpType == "Shape").Input[0]);
        var x = new ProofTensor("x", [2, 3], [1, 2, 3, 4, 5, 6], null);
        Assert.Equal([1, 2, 3, 6, 4, 5, 6, 15], TinyGraphs.Run(m, x));
    }

    [Fact]
    public void With_a_static_input_shape_the_whole_chain_folds_to_the_literal_shape()
    {
        ModelProto m = ShapeChain();
        m.Graph.Input[0] = TinyGraphs.Value("x", TensorData.Float, 2, 3);

        new ConstantFolding().Apply(m);
        new DeadNodeRemoval().Apply(m);

        Assert.Equal([2L, 4], Folded(m, "shape"));
        Assert.Equal(["Gemm", "Reshape"], m.Graph.Node.Select(n => n.OpType));
        Assert.Equal([1, 2, 3, 6, 4, 5, 6, 15], TinyGraphs.Run(m, new ProofTensor("x", [2, 3], [1, 2, 3, 4, 5, 6], null)));
    }

    /// <summary>torch's index.expand(-1, 5) as exported: Where(Equal([-1, 5], ConstantOfShape([2], 1) * -1), ones, [-1, 5]).</summary>
    [Fact]
    public void The_expand_minus_one_chain_on_constants_folds_to_its_value()
    {
        var g = new GraphProto { Name = "expand" };
        g.Input.Add(TinyGraphs.Value("t", TensorData.Int64, "E", 1));
        g.Output.Add(TinyGraphs.Value("out", TensorData.Int64, "E", 5));
        g.Node.Add(Nodes.Make("Constant", "two", [], ["two"], Nodes.Tensor("value", TensorData.FromInt64s("", [2], 1))));
        g.Node.Add(Nodes.Make("Constant", "m1", [], ["m1"], Nodes.Tensor("value", TensorData.FromInt64s("", [-1]))));
        g.Node.Add(Nodes.Make("Constant", "target", [], ["target"], Nodes.Tensor("value", TensorData.FromInt64s("", [-1, 5], 2))));
        g.Node.Add(Nodes.Make("ConstantOfShape", "ones", ["two"], ["ones"], Nodes.Tensor("value", TensorData.FromInt64s("", [1], 1))));
        g.Node.Add(Nodes.Make("Mul", "neg", ["ones", "m1"], ["neg"]));
        g.Node.Add(Nodes.Make("Equal", "eq", ["target", "neg"], ["eq"]));
        g.Node.Add(Nodes.Make("Where", "where", ["eq", "ones", "target"], ["shape"]));
        g.Node.Add(Nodes.Make("Expand", "expand", ["t", "shape"], ["out"]));
        ModelProto m = TinyGraphs.Model(g);

        Assert.Equal(4, new ConstantFolding().Apply(m));
        new DeadNodeRemoval().Apply(m);

        Assert.Equal([1L, 5], Folded(m, "shape"));
        Assert.Equal(["Expand"], m.Graph.Node.Select(n => n.OpType));
    }

    /// <summary>Concat(Mul([2,3], [4,-1]) / [3,1], Slice([7,8,9,10], 1:-1), Cast(Squeeze([[2.9]])), Range(0,6,2)).</summary>
    [Fact]
    public void Int64_arithmetic_slice_cast_squeeze_and_range_fold_with_onnx_semantics()
    {
        var g = new GraphProto { Name = "arith" };
        g.Input.Add(TinyGraphs.Value("x", TensorData.Float, 1));
        g.Output.Add(TinyGraphs.Value("out", TensorData.Float, 1));
        g.Initializer.Add(TensorData.FromInt64s("a", [2, 3], 2));
        g.Initializer.Add(TensorData.FromInt64s("b", [4, -1], 2));
        g.Initializer.Add(TensorData.FromInt64s("d", [3, 1], 2));
        g.Initializer.Add(TensorData.FromInt64s("v", [7, 8, 9, 10], 4));
        g.Initializer.Add(TensorData.FromInt64s("s0", [1], 1));
        g.Initializer.Add(TensorData.FromInt64s("s1", [-1], 1));
        g.Initializer.Add(TensorData.FromFloats("f", [-2.9f], 1, 1));
        g.Initializer.Add(TensorData.FromInt64s("axes01", [0, 1], 2));
        g.Initializer.Add(TensorData.FromInt64s("r0", [0]));
        g.Initializer.Add(TensorData.FromInt64s("r1", [6]));
        g.Initializer.Add(TensorData.FromInt64s("r2", [2]));
        g.Initializer.Add(TensorData.FromInt64s("axis0", [0], 1));
        g.Node.Add(Nodes.Make("Mul", "mul", ["a", "b"], ["ab"]));
        g.Node.Add(Nodes.Make("Div", "div", ["ab", "d"], ["q"]));
        g.Node.Add(Nodes.Make("Slice", "slice", ["v", "s0", "s1"], ["mid"]));
        g.Node.Add(Nodes.Make("Squeeze", "sq", ["f", "axes01"], ["f0"]));
        g.Node.Add(Nodes.Make("Cast", "cast", ["f0"], ["i0"], Nodes.Int("to", TensorData.Int64)));
        g.Node.Add(Nodes.Make("Unsqueeze", "u", ["i0", "axis0"], ["i1"]));
        g.Node.Add(Nodes.Make("Range", "range", ["r0", "r1", "r2"], ["r"]));
        g.Node.Add(Nodes.Make("Concat", "cat", ["q", "mid", "i1", "r"], ["all"], Nodes.Int("axis", 0)));
        g.Node.Add(Nodes.Make("Identity", "out", ["x"], ["out"]));
        g.Output.Add(TinyGraphs.Value("all", TensorData.Int64, 8));
        ModelProto m = TinyGraphs.Model(g);

        Assert.Equal(7, new ConstantFolding().Apply(m)); // all but Concat (a graph output) and Identity (reads the input)

        // 8/3 and -3/1 truncate toward zero like ONNX Runtime's integer Div; Cast of -2.9 truncates to -2.
        Assert.Equal([2L, -3], Folded(m, "q"));
        Assert.Equal([8L, 9], Folded(m, "mid"));
        Assert.Equal([-2L], Folded(m, "i1"));
        Assert.Equal([0L, 2, 4], Folded(m, "r"));
        Assert.False(IsInitializer(m, "all"));
        using var session = new OrtEvaluator(Google.Protobuf.MessageExtensions.ToByteArray(m));
        Assert.Equal([2.0, -3, 8, 9, -2, 0, 2, 4], session.Run([new ProofTensor("x", [1], [0.5f], null)]).Single(o => o.Name == "all").Values);
    }

    [Fact]
    public void An_input_with_an_initializer_default_is_not_taken_for_a_constant()
    {
        var g = new GraphProto { Name = "default_input" };
        g.Input.Add(TinyGraphs.Value("k", TensorData.Int64, 1));
        g.Output.Add(TinyGraphs.Value("out", TensorData.Int64, 1));
        g.Initializer.Add(TensorData.FromInt64s("k", [2], 1)); // a default the caller may override
        g.Initializer.Add(TensorData.FromInt64s("three", [3], 1));
        g.Node.Add(Nodes.Make("Mul", "mul", ["k", "three"], ["m"]));
        g.Node.Add(Nodes.Make("Add", "add", ["m", "three"], ["out"]));
        ModelProto m = TinyGraphs.Model(g);

        Assert.Equal(0, new ConstantFolding().Apply(m));
        Assert.False(IsInitializer(m, "m"));
    }

    [Fact]
    public void A_gather_of_an_unknown_dim_is_not_folded()
    {
        ModelProto m = ShapeChain();
        m.Graph.Node.Single(n => n.Name == "c").Input[1] = "zero"; // Shape(y)[0] is N: unknown

        new ConstantFolding().Apply(m);

        Assert.False(IsInitializer(m, "c"));
        Assert.Contains(m.Graph.Node, n => n.Name == "c");
    }

    [Fact]
    public void The_scatter_models_shape_arithmetic_folds_and_its_outputs_stay_equal()
    {
        ModelProto original = OnnxModel.Load(Fixtures.Path("onnx", "optimize", "scatter_gnn.onnx")).Proto;
        ModelProto m = original.Clone();

        // Per layer: Shape(messages)[1] = the Gemm's Cout (and its Unsqueeze), expand(-1, C)'s four-node chain on constants;
        // the pooling's Shape(x)[1] and its Unsqueeze.
        Assert.Equal((3 * 2) + (2 * 4) + 2, new ConstantFolding().Apply(m));
        int removed = new DeadNodeRemoval().Apply(m);

        Assert.Equal(145 - 16 - removed, m.Graph.Node.Count);
        Assert.Equal((10, 6), (TinyGraphs.Count(original, "Shape"), TinyGraphs.Count(m, "Shape")));
        Assert.Equal(original.Graph.Output.Select(o => o.Name), m.Graph.Output.Select(o => o.Name));
        Assert.Equal(original.OpsetImport, m.OpsetImport);
        IReadOnlyList<OnnxValue> inputs = OptimizationProof.Inputs(original);
        foreach ((int n, int graphs, bool ordered) in new[] { (64, 1, true), (200, 3, false) })
        {
            ProofCase c = ProofInputs.Make(inputs, n, graphs, ordered, seed: n);
            ProofResult r = Assert.Single(OptimizationProof.Run(original.ToByteArray(), m.ToByteArray(), [c]));
            Assert.Equal(0, r.MaxRelativeError);
        }
    }
}
