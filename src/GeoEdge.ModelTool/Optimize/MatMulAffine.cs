using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Optimize;

/// <summary>Rewrites MatMul(x, W) or Add(MatMul(x, W), b) so its [*, Cout] output becomes scale[c] * y + shift[c] (a BatchNormalization folded in).</summary>
/// <remarks>torch.onnx exports Linear as MatMul (+ Add) where it cannot use Gemm: no bias, or an input of rank above 2.
/// W is [Cin, Cout], so output channel c is column c. The caller checks that channel c is the last axis.</remarks>
internal static class MatMulAffine
{
    public static bool TryApply(GraphIndex index, GraphProto graph, NodeProto producer, float[] scale, float[] shift, string output)
    {
        NodeProto matmul = producer;
        float[]? bias = null;
        if (producer is { OpType: "Add" } add)
        {
            // Add(MatMul, b) or Add(b, MatMul) with b a per-channel vector.
            int side = index.Producer(add.Input[0]) is { OpType: "MatMul" } ? 0 : 1;
            if (index.Producer(add.Input[side]) is not { OpType: "MatMul" } m || !index.HasSingleUse(add.Input[side])
                || index.Initializer(add.Input[1 - side]) is not { Dims.Count: 1 } bt || TensorData.Floats(bt) is not { } b || b.Length != scale.Length)
            {
                return false;
            }

            matmul = m;
            bias = b;
        }

        if (matmul.OpType != "MatMul" || index.Initializer(matmul.Input[1]) is not { Dims.Count: 2 } wt
            || TensorData.Floats(wt) is not { } w || wt.Dims[1] != scale.Length)
        {
            return false;
        }

        int channels = scale.Length;
        var scaled = new float[w.Length];
        for (int i = 0; i < w.Length; i++)
        {
            scaled[i] = w[i] * scale[i % channels];
        }

        var shifted = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            shifted[c] = ((bias?[c] ?? 0f) * scale[c]) + shift[c];
        }

        matmul.Input[1] = index.AddInitializer(matmul.Input[1], TensorData.FromFloats("", scaled, wt.Dims[0], wt.Dims[1]));
        string b2 = index.AddInitializer(matmul.Name + "_bias", TensorData.FromFloats("", shifted, channels));
        if (producer != matmul)
        {
            producer.Input[index.Producer(producer.Input[0]) == matmul ? 1 : 0] = b2;
            producer.Output[0] = output;
            return true;
        }

        string product = index.Fresh(matmul.Name + "_scaled");
        matmul.Output[0] = product;
        graph.Node.Insert(graph.Node.IndexOf(matmul) + 1, Nodes.Make("Add", index.Fresh(matmul.Name + "_shift"), [product, b2], [output]));
        return true;
    }
}
