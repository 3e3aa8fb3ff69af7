using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Optimize;

/// <summary>Multiplies per node before gathering: W·[x_i, x_j − x_i] + b becomes gather((W_a − W_b)·x + b, i) + gather(W_b·x, j).</summary>
/// <remarks>
/// Matches a Gemm (transA = 0, alpha = beta = 1) or a MatMul with a constant weight whose input is
/// Concat(last axis) of [Gather(x, i), Sub(Gather(x, j), Gather(x, i))] (EdgeConv / DGCNN) or of
/// [Gather(x, i), Gather(x, j)], both gathers along axis 0 of the same x by any index tensor (an edge_index
/// row, or an [N,k] neighbour matrix). In the neighbour-matrix form x_i may instead be x broadcast over the k
/// neighbours, Expand(Unsqueeze(x, 1), [N,k,C]) or Tile(Unsqueeze(x, 1), [1,k,1]), with a MatMul on [N,k,2C]; its
/// per-node product is then broadcast back with Unsqueeze(·, 1) instead of gathered. The matrix product then runs on N rows instead of E = N·k and the two
/// gathers move Cout instead of Cin columns each. It holds for any edge order, so it needs no input contract.
/// A bias (and a BatchNormalization already folded into it) goes into the x_i product.
/// </remarks>
internal sealed class MessageFactorization : IGraphRewrite
{
    public string Name => "factorize-messages";

    public int Apply(ModelProto model)
    {
        var index = new GraphIndex(model.Graph);
        long opset = FixedDegreeAggregation.DefaultOpset(model);
        int count = 0;
        foreach (NodeProto mm in model.Graph.Node.ToArray())
        {
            if (Match(index, mm) is not { } m)
            {
                continue;
            }

            Rewrite(index, model.Graph, mm, m, opset);
            index.Rebuild();
            count++;
        }

        return count;
    }

    /// <param name="IndexA">The x_i gather's indices; null when x_i is x broadcast over the neighbour axis.</param>
    private sealed record Site(string X, string? IndexA, string IndexB, bool Difference, float[] W, int In, int Out, bool OutputMajor, string? Bias);

    private static Site? Match(GraphIndex index, NodeProto mm)
    {
        bool gemm = mm.OpType == "Gemm";
        if (!(gemm || mm.OpType == "MatMul") || mm.Output.Count != 1
            || index.Producer(mm.Input[0]) is not { OpType: "Concat" } concat || concat.Input.Count != 2
            || !index.HasSingleUse(mm.Input[0]))
        {
            return null;
        }

        long axis = GraphIndex.AttrInt(concat, "axis", 0);
        if (!(axis == -1 || (gemm && axis == 1)))
        {
            return null;
        }

        if (gemm && (GraphIndex.AttrFloat(mm, "alpha", 1f) != 1f || GraphIndex.AttrFloat(mm, "beta", 1f) != 1f || GraphIndex.AttrInt(mm, "transA", 0) != 0))
        {
            return null;
        }

        TensorProto? wt = index.Initializer(mm.Input[1]);
        float[]? w = wt is null ? null : TensorData.Floats(wt);
        if (w is null || wt!.Dims.Count != 2)
        {
            return null;
        }

        bool outputMajor = gemm && GraphIndex.AttrInt(mm, "transB", 0) == 1;
        long cols = outputMajor ? wt.Dims[1] : wt.Dims[0];
        long outs = outputMajor ? wt.Dims[0] : wt.Dims[1];
        if (cols % 2 != 0)
        {
            return null;
        }

        string? bias = gemm && mm.Input.Count > 2 && mm.Input[2].Length > 0 ? mm.Input[2] : null;
        string x;
        string? ia;
        if (Gathered(index, concat.Input[0]) is (string gx, string gi))
        {
            (x, ia) = (gx, gi);
        }
        else if (!gemm && Broadcasted(index, concat.Input[0]) is string bx)
        {
            (x, ia) = (bx, null);
        }
        else
        {
            return null;
        }

        if (Gathered(index, concat.Input[1]) is (string x2, string ib) && x2 == x)
        {
            return new Site(x, ia, ib, false, w, (int)(cols / 2), (int)outs, outputMajor, bias);
        }

        if (index.Producer(concat.Input[1]) is { OpType: "Sub" } sub
            && Gathered(index, sub.Input[0]) is (string xj, string jb) && xj == x
            && (sub.Input[1] == concat.Input[0] || (ia is not null && Gathered(index, sub.Input[1]) is (string xi, string ia2) && xi == x && ia2 == ia)))
        {
            return new Site(x, ia, jb, true, w, (int)(cols / 2), (int)outs, outputMajor, bias);
        }

        return null;
    }

    /// <summary>(x, indices) when <paramref name="value"/> is Gather(x, indices) along axis 0.</summary>
    private static (string X, string Indices)? Gathered(GraphIndex index, string value) =>
        index.Producer(value) is { OpType: "Gather" } g && GraphIndex.AttrInt(g, "axis", 0) == 0 ? (g.Input[0], g.Input[1]) : null;

    /// <summary>x when <paramref name="value"/> is Expand(Unsqueeze(x, 1), shape) or Tile(Unsqueeze(x, 1), reps): x_i repeated for each of k neighbours.</summary>
    private static string? Broadcasted(GraphIndex index, string value)
    {
        if (index.Producer(value) is not { OpType: "Expand" or "Tile" } repeat
            || index.Producer(repeat.Input[0]) is not { OpType: "Unsqueeze" } unsqueeze)
        {
            return null;
        }

        long[]? axes = unsqueeze.Input.Count > 1 ? index.ConstantInt64s(unsqueeze.Input[1]) : GraphIndex.Attr(unsqueeze, "axes")?.Ints.ToArray();
        return axes is [1] or [-2] ? unsqueeze.Input[0] : null;
    }

    private static void Rewrite(GraphIndex index, GraphProto graph, NodeProto mm, Site s, long opset)
    {
        // Split W into the x_i block A and the second block B, both stored [Cout, Cin] for Gemm transB = 1.
        var a = new float[s.Out * s.In];
        var b = new float[s.Out * s.In];
        for (int o = 0; o < s.Out; o++)
        {
            for (int c = 0; c < s.In; c++)
            {
                float wa = s.OutputMajor ? s.W[(o * 2 * s.In) + c] : s.W[(c * s.Out) + o];
                float wb = s.OutputMajor ? s.W[(o * 2 * s.In) + s.In + c] : s.W[((s.In + c) * s.Out) + o];
                a[(o * s.In) + c] = s.Difference ? wa - wb : wa;
                b[(o * s.In) + c] = wb;
            }
        }

        bool gemm = mm.OpType == "Gemm";
        string wA = index.AddInitializer(mm.Name + "_node_i", gemm ? TensorData.FromFloats("", a, s.Out, s.In) : TensorData.FromFloats("", Transpose(a, s.Out, s.In), s.In, s.Out));
        string wB = index.AddInitializer(mm.Name + "_node_j", gemm ? TensorData.FromFloats("", b, s.Out, s.In) : TensorData.FromFloats("", Transpose(b, s.Out, s.In), s.In, s.Out));
        string p = index.Fresh(mm.Name + "_per_node_i");
        string q = index.Fresh(mm.Name + "_per_node_j");
        string pi = index.Fresh(mm.Name + "_gathered_i");
        string qj = index.Fresh(mm.Name + "_gathered_j");
        var added = new List<NodeProto>();
        if (gemm)
        {
            string[] pInputs = s.Bias is null ? [s.X, wA] : [s.X, wA, s.Bias];
            added.Add(Nodes.Make("Gemm", index.Fresh(mm.Name + "_i"), pInputs, [p], Nodes.Int("transB", 1)));
            added.Add(Nodes.Make("Gemm", index.Fresh(mm.Name + "_j"), [s.X, wB], [q], Nodes.Int("transB", 1)));
        }
        else
        {
            added.Add(Nodes.Make("MatMul", index.Fresh(mm.Name + "_i"), [s.X, wA], [p]));
            added.Add(Nodes.Make("MatMul", index.Fresh(mm.Name + "_j"), [s.X, wB], [q]));
        }

        if (s.IndexA is not null)
        {
            added.Add(Nodes.Make("Gather", index.Fresh(mm.Name + "_gather_i"), [p, s.IndexA], [pi], Nodes.Int("axis", 0)));
        }
        else if (opset >= 13)
        {
            string axis = index.AddInitializer(mm.Name + "_axis1", TensorData.FromInt64s("", [1], 1));
            added.Add(Nodes.Make("Unsqueeze", index.Fresh(mm.Name + "_broadcast_i"), [p, axis], [pi]));
        }
        else
        {
            added.Add(Nodes.Make("Unsqueeze", index.Fresh(mm.Name + "_broadcast_i"), [p], [pi], Nodes.Ints("axes", 1)));
        }

        added.Add(Nodes.Make("Gather", index.Fresh(mm.Name + "_gather_j"), [q, s.IndexB], [qj], Nodes.Int("axis", 0)));
        added.Add(Nodes.Make("Add", index.Fresh(mm.Name + "_sum"), [pi, qj], [mm.Output[0]]));
        int at = graph.Node.IndexOf(mm);
        graph.Node.RemoveAt(at);
        for (int n = added.Count - 1; n >= 0; n--)
        {
            graph.Node.Insert(at, added[n]);
        }
    }

    private static float[] Transpose(float[] m, int rows, int cols)
    {
        var t = new float[m.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                t[(c * rows) + r] = m[(r * cols) + c];
            }
        }

        return t;
    }
}
