using GeoEdge.Geometry.IO;
using GeoEdge.ModelTool.Evaluate;
using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Prune;

/// <summary>Top-1 accuracy of a point-cloud classifier (inputs pos [B,P,3] and knn [B,P,k]) on a split of pos + label arrays, preprocessed like the device does.</summary>
/// <remarks>Each cloud is normalised with NormalizeScale and gets its k nearest neighbours without self loops
/// (shapes-dgcnn's manifest preprocessing), after farthest-point sampling from point 0 when the model takes fewer points
/// than the split's clouds hold (a point-pruned model).</remarks>
internal sealed class PointCloudAccuracy
{
    private const int Batch = 8;
    private readonly List<ProofTensor[]> _batches = [];
    private readonly List<long[]> _labels = [];

    private PointCloudAccuracy(int count) => Count = count;

    public int Count { get; }

    public static PointCloudAccuracy Load(ModelProto model, string path)
    {
        IReadOnlyList<OnnxValue> inputs = OptimizationProof.Inputs(model);
        OnnxValue? pos = inputs.FirstOrDefault(static v => v.ElementType == TensorData.Float && v.Shape is [_, _, { Value: 3 }]);
        OnnxValue? knn = inputs.FirstOrDefault(static v => v.ElementType == TensorData.Int64 && v.Shape is [_, _, { Value: > 0 }]);
        if (inputs.Count != 2 || pos is null || knn is null)
        {
            throw new PruneRefusedException("--data needs a point-cloud classifier with inputs pos [B,P,3] float32 and knn [B,P,k] int64");
        }

        int k = (int)knn.Shape![2].Value!.Value;
        IReadOnlyDictionary<string, NpyArray> arrays = NpzFile.Read(path);
        if (!arrays.TryGetValue("pos", out NpyArray? clouds) || clouds.DType != NpyDType.Float32 || clouds.Shape is not [_, _, 3]
            || !arrays.TryGetValue("label", out NpyArray? labels) || labels.DType != NpyDType.Int64 || labels.Shape.Length != 1 || labels.Shape[0] != clouds.Shape[0])
        {
            throw new FormatException($"{path}: expected pos [N,P,3] float32 and label [N] int64");
        }

        int n = clouds.Shape[0];
        int stored = clouds.Shape[1];
        int points = pos.Shape![1].Value is long modelPoints ? (int)modelPoints : stored;
        if (points > stored)
        {
            throw new FormatException($"{path}: clouds have {stored} points, the model takes {points}");
        }

        float[] all = clouds.AsSpan<float>().ToArray();
        long[] allLabels = labels.AsSpan<long>().ToArray();
        var result = new PointCloudAccuracy(n);
        var preprocessor = new CloudPreprocessor(points, k, loop: false);
        for (int start = 0; start < n; start += Batch)
        {
            int b = Math.Min(Batch, n - start);
            float[] p = new float[b * points * 3];
            var neighbours = new long[b * points * k];
            for (int i = 0; i < b; i++)
            {
                preprocessor.Prepare(all.AsSpan((start + i) * stored * 3, stored * 3), p.AsSpan(i * points * 3, points * 3), neighbours.AsSpan(i * points * k, points * k));
            }

            result._batches.Add([new ProofTensor(pos.Name, [b, points, 3], p, null), new ProofTensor(knn.Name, [b, points, k], null, neighbours)]);
            result._labels.Add(allLabels[start..(start + b)]);
        }

        return result;
    }

    /// <summary>The fraction of clouds whose largest logit (output "logits", else the first output) is the label.</summary>
    public double Measure(byte[] model)
    {
        using var evaluator = new OrtEvaluator(model);
        int correct = 0;
        for (int i = 0; i < _batches.Count; i++)
        {
            List<ProofOutput> outputs = evaluator.Run(_batches[i]);
            ProofOutput logits = outputs.Find(static o => o.Name == "logits") ?? outputs[0];
            int classes = (int)logits.Shape[^1];
            for (int s = 0; s < _labels[i].Length; s++)
            {
                int best = 0;
                for (int c = 1; c < classes; c++)
                {
                    if (logits.Values[(s * classes) + c] > logits.Values[(s * classes) + best])
                    {
                        best = c;
                    }
                }

                correct += best == _labels[i][s] ? 1 : 0;
            }
        }

        return (double)correct / Count;
    }
}
