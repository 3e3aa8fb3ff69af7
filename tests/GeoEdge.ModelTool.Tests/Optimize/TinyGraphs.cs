using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Tests.Optimize;

/// <summary>Hand-built ONNX graphs in the shapes torch.onnx exports, small enough to check by hand.</summary>
internal static class TinyGraphs
{
    /// <summary>out[N,2] = zeros(Shape(x)).scatter_add_(0, t.unsqueeze(-1).expand_as(msg), msg): PyG's aggr='add'.</summary>
    public static ModelProto ScatterSum()
    {
        var g = new GraphProto { Name = "scatter_sum" };
        g.Input.Add(Value("x", TensorData.Float, "N", 2));
        g.Input.Add(Value("msg", TensorData.Float, "E", 2));
        g.Input.Add(Value("t", TensorData.Int64, "E"));
        g.Output.Add(Value("out", TensorData.Float, "N", 2));
        g.Initializer.Add(TensorData.FromInt64s("axis_last", [-1], 1));
        g.Node.Add(Nodes.Make("Shape", "shape_x", ["x"], ["shape"]));
        g.Node.Add(Nodes.Make("ConstantOfShape", "zeros", ["shape"], ["zeros"], Nodes.Tensor("value", TensorData.FromFloats("", [0f], 1))));
        g.Node.Add(Nodes.Make("Unsqueeze", "unsq", ["t", "axis_last"], ["t1"]));
        g.Node.Add(Nodes.Make("Shape", "shape_msg", ["msg"], ["msg_shape"]));
        g.Node.Add(Nodes.Make("Expand", "expand", ["t1", "msg_shape"], ["idx"]));
        g.Node.Add(Nodes.Make("ScatterElements", "scatter", ["zeros", "idx", "msg"], ["out"], Nodes.Int("axis", 0), Nodes.String("reduction", "add")));
        return Model(g);
    }

    /// <summary>y[E,2] = Gemm(concat[x[i], x[j] - x[i]], W, b) with W [2, 4] (transB = 1), then out = y (EdgeConv's first layer).</summary>
    public static ModelProto EdgeConvMessage(float[] w, float[] b)
    {
        var g = new GraphProto { Name = "edgeconv_message" };
        g.Input.Add(Value("x", TensorData.Float, "N", 2));
        g.Input.Add(Value("edge_index", TensorData.Int64, 2, "E"));
        g.Output.Add(Value("y", TensorData.Float, "E", 2));
        g.Initializer.Add(TensorData.FromInt64s("zero", [0]));
        g.Initializer.Add(TensorData.FromInt64s("one", [1]));
        g.Initializer.Add(TensorData.FromFloats("W", w, 2, 4));
        g.Initializer.Add(TensorData.FromFloats("b", b, 2));
        g.Node.Add(Nodes.Make("Gather", "src", ["edge_index", "zero"], ["j"], Nodes.Int("axis", 0)));
        g.Node.Add(Nodes.Make("Gather", "dst", ["edge_index", "one"], ["i"], Nodes.Int("axis", 0)));
        g.Node.Add(Nodes.Make("Gather", "x_i", ["x", "i"], ["xi"], Nodes.Int("axis", 0)));
        g.Node.Add(Nodes.Make("Gather", "x_j", ["x", "j"], ["xj"], Nodes.Int("axis", 0)));
        g.Node.Add(Nodes.Make("Sub", "rel", ["xj", "xi"], ["d"]));
        g.Node.Add(Nodes.Make("Concat", "cat", ["xi", "d"], ["c"], Nodes.Int("axis", -1)));
        g.Node.Add(Nodes.Make("Gemm", "lin", ["c", "W", "b"], ["y"], Nodes.Int("transB", 1)));
        return Model(g);
    }

    public static ModelProto Model(GraphProto g)
    {
        var m = new ModelProto { IrVersion = 8, ProducerName = "geoedge-tests", Graph = g };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return m;
    }

    public static ValueInfoProto Value(string name, int type, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (object d in dims)
        {
            shape.Dim.Add(d is string s ? new TensorShapeProto.Types.Dimension { DimParam = s } : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture) });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = type, Shape = shape } } };
    }

    public static int Count(ModelProto m, string op)
    {
        int n = 0;
        foreach (NodeProto node in m.Graph.Node)
        {
            n += node.OpType == op ? 1 : 0;
        }

        return n;
    }

    public static double[] Run(ModelProto m, params ProofTensor[] inputs)
    {
        using var session = new OrtEvaluator(Google.Protobuf.MessageExtensions.ToByteArray(m));
        return session.Run(inputs)[0].Values;
    }
}
