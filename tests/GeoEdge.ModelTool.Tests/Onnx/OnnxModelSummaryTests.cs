using GeoEdge.ModelTool.Onnx;
using Google.Protobuf;

namespace GeoEdge.ModelTool.Tests.Onnx;

/// <summary>What inspect reports: declared interface, operator histogram order, parameters over all graphs.</summary>
[Trait("Category", "Unit")]
public sealed class OnnxModelSummaryTests
{
    private static ValueInfoProto Value(string name, int elemType, params object?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (object? d in dims)
        {
            var dim = new TensorShapeProto.Types.Dimension();
            if (d is long v)
            {
                dim.DimValue = v;
            }
            else if (d is string p)
            {
                dim.DimParam = p;
            }

            shape.Dim.Add(dim);
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elemType, Shape = shape } } };
    }

    private static NodeProto Node(string op, string domain = "") => new() { OpType = op, Domain = domain };

    private static OnnxModel Build(GraphProto graph)
    {
        var proto = new ModelProto { IrVersion = 3, Graph = graph };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 9 });
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        return OnnxModel.FromBytes(proto.ToByteArray(), "built");
    }

    [Fact]
    public void Initializers_listed_as_inputs_are_not_inputs_and_unknown_dims_print_as_question_marks()
    {
        var graph = new GraphProto();
        graph.Input.Add(Value("x", 1, "batch", 3L, null));
        graph.Input.Add(Value("W", 1, 3L, 4L));
        graph.Initializer.Add(new TensorProto { Name = "W", DataType = 1, Dims = { 3, 4 } });
        graph.Output.Add(new ValueInfoProto { Name = "seq", Type = new TypeProto() });

        OnnxModelSummary s = OnnxModelSummary.Of(Build(graph));

        OnnxValue x = Assert.Single(s.Inputs);
        Assert.Equal(("x", "float32", "[batch, 3, ?]"), (x.Name, x.TypeName, x.ShapeText));
        Assert.Equal(("non-tensor", "unknown"), (s.Outputs[0].TypeName, s.Outputs[0].ShapeText));
        Assert.Equal((1, 12L), (s.InitializerCount, s.ParameterCount));
    }

    [Fact]
    public void Operators_are_sorted_by_count_then_name_and_subgraphs_count()
    {
        var branch = new GraphProto { Name = "then" };
        branch.Node.Add(Node("Relu"));
        branch.Initializer.Add(new TensorProto { Name = "k", DataType = 7, Dims = { 2, 5 } });
        var ifNode = Node("If");
        ifNode.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = branch });
        var graph = new GraphProto();
        graph.Node.Add([Node("Relu"), Node("Mul"), Node("Add"), Node("FusedMatMul", "com.microsoft"), Node("Relu"), Node("Add"), Node("Mul"), Node("Abs", "ai.onnx"), ifNode]);
        graph.Initializer.Add(new TensorProto { Name = "s", DataType = 1 });

        OnnxModelSummary s = OnnxModelSummary.Of(Build(graph));

        Assert.Equal(
            ["3 Relu", "2 Add", "2 Mul", "1 Abs", "1 FusedMatMul com.microsoft", "1 If"],
            s.Operators.Select(o => $"{o.Count} {o.OpType} {o.Domain}".TrimEnd()));
        Assert.Equal(10, s.NodeCount);

        // A scalar initializer has no dims and one element; the subgraph's [2, 5] adds 10.
        Assert.Equal((2, 11L), (s.InitializerCount, s.ParameterCount));
    }

    [Fact]
    public void A_pytorch_export_summarises_to_its_known_interface()
    {
        OnnxModelSummary s = OnnxModelSummary.Of(OnnxModel.Load(Fixtures.Path("onnx", "runner", "point_mlp.onnx")));

        Assert.Equal(["pos float32 [num_points, 3]", "nbr int64 [num_points, 3]"], s.Inputs.Select(v => $"{v.Name} {v.TypeName} {v.ShapeText}"));
        Assert.Equal(["out float32 [num_points, 2]"], s.Outputs.Select(v => $"{v.Name} {v.TypeName} {v.ShapeText}"));
        Assert.Equal((4, 50L, 9), (s.InitializerCount, s.ParameterCount, s.NodeCount));
    }
}
