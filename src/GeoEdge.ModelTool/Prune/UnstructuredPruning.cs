using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Prune;

/// <summary>Magnitude pruning per layer: zeroes the smallest |w| of every MatMul/Gemm/Conv weight until the layer reaches the target sparsity.</summary>
/// <remarks>Each layer gets floor(sparsity x elements) zeros, counting zeros it already had; ties in |w| are broken by
/// position (the earlier element is zeroed first) so the result is reproducible. A weight shared by two layers is pruned once.</remarks>
internal static class UnstructuredPruning
{
    public static List<LayerSparsity> Apply(ModelProto model, double sparsity)
    {
        if (!(sparsity is >= 0 and < 1))
        {
            throw new ArgumentException($"--unstructured sparsity must be in [0, 1), got {sparsity}");
        }

        var index = new GraphIndex(model.Graph);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var report = new List<LayerSparsity>();
        foreach (WeightLayer layer in WeightLayer.Find(index))
        {
            if (!done.Add(layer.Weight.Name))
            {
                continue;
            }

            float[] w = TensorData.Floats(layer.Weight)!;
            long before = w.LongCount(static x => x == 0);
            int target = (int)Math.Floor(sparsity * w.Length);
            int[] order = Enumerable.Range(0, w.Length).ToArray();

            // Stable sort by magnitude: equal magnitudes keep index order.
            Array.Sort(order, (a, b) => Math.Abs(w[a]).CompareTo(Math.Abs(w[b])) is var c && c != 0 ? c : a.CompareTo(b));
            for (int i = 0; i < target; i++)
            {
                w[order[i]] = 0;
            }

            TensorSlicing.Replace(layer.Weight, w, TensorData.Dims(layer.Weight));
            report.Add(new LayerSparsity(layer.Node.Name, layer.Weight.Name, TensorData.Dims(layer.Weight), w.Length, before, w.LongCount(static x => x == 0)));
        }

        if (report.Count == 0)
        {
            throw new PruneRefusedException("the model has no MatMul, Gemm or Conv with a float initializer weight to prune");
        }

        return report;
    }
}
