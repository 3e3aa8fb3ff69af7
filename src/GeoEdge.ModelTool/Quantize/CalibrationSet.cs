using GeoEdge.Geometry.IO;
using GeoEdge.ModelTool.Evaluate;
using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Quantize;

/// <summary>Model inputs one sample at a time (batch 1) from an .npz: arrays named like the model's inputs, split along axis 0.</summary>
/// <remarks>A point-cloud model with inputs pos [B,P,3] and knn [B,P,K] may also be fed an .npz holding only raw
/// <c>pos</c> [N,P,3] (the shipped shapes-dgcnn splits): each cloud then goes through the manifest's preprocessing —
/// farthest-point sampling from point 0 when the model takes fewer points than the clouds hold (a point-pruned model),
/// NormalizeScale, then the kNN graph with K from the model's knn input, no self loops.</remarks>
internal static class CalibrationSet
{
    public static List<ProofTensor[]> Load(string path, ModelProto model, int maxSamples, string? labelKey = null) =>
        Load(path, model, maxSamples, labelKey, out _);

    public static List<ProofTensor[]> Load(string path, ModelProto model, int maxSamples, string? labelKey, out long[]? labels)
    {
        ArgumentNullException.ThrowIfNull(model);
        IReadOnlyDictionary<string, NpyArray> arrays = NpzFile.Read(path);
        labels = labelKey is not null && arrays.TryGetValue(labelKey, out NpyArray? l) && l.DType == NpyDType.Int64 && l.Shape.Length == 1 ? l.AsSpan<long>().ToArray() : null;
        var inputs = new List<ValueInfoProto>();
        var initializers = new HashSet<string>(StringComparer.Ordinal);
        foreach (TensorProto t in model.Graph.Initializer)
        {
            initializers.Add(t.Name);
        }

        foreach (ValueInfoProto v in model.Graph.Input)
        {
            if (!initializers.Contains(v.Name))
            {
                inputs.Add(v);
            }
        }

        bool derivedKnn = inputs.Count == 2 && inputs[0].Name == "pos" && inputs[1].Name == "knn"
            && arrays.ContainsKey("pos") && !arrays.ContainsKey("knn");
        int count = -1;
        foreach (ValueInfoProto v in inputs)
        {
            if (derivedKnn && v.Name == "knn")
            {
                continue;
            }

            if (!arrays.TryGetValue(v.Name, out NpyArray? a))
            {
                throw new FormatException($"{path}: no array '{v.Name}' for the model input of that name");
            }

            if (a.Shape.Length == 0 || (count >= 0 && a.Shape[0] != count))
            {
                throw new FormatException($"{path}: array '{v.Name}' shape [{string.Join(',', a.Shape)}] does not hold the same number of samples along axis 0 as the others");
            }

            count = a.Shape[0];
        }

        count = Math.Min(count, maxSamples);
        int k = derivedKnn ? KnnWidth(inputs[1], path) : 0;
        // a point-pruned model takes fewer points than the split's clouds: the manifest's farthest-point sampling
        int points = derivedKnn ? FixedPoints(inputs[0]) ?? arrays["pos"].Shape[1] : 0;
        CloudPreprocessor? preprocessor = derivedKnn ? new CloudPreprocessor(points, k, loop: false) : null;
        var samples = new List<ProofTensor[]>(count);
        for (int s = 0; s < count; s++)
        {
            var sample = new ProofTensor[inputs.Count];
            for (int i = 0; i < inputs.Count; i++)
            {
                string name = inputs[i].Name;
                if (derivedKnn && name == "knn")
                {
                    continue;
                }

                sample[i] = Slice(arrays[name], name, s, path);
            }

            if (preprocessor is not null)
            {
                var positions = new float[points * 3];
                var knn = new long[points * k];
                preprocessor.Prepare(sample[0].Floats, positions, knn);
                sample[0] = new ProofTensor(sample[0].Name, [1, points, 3], positions, null);
                sample[1] = new ProofTensor("knn", [1, points, k], null, knn);
            }

            samples.Add(sample);
        }

        return samples;
    }

    private static ProofTensor Slice(NpyArray a, string name, int s, string path)
    {
        long[] shape = [1, .. Array.ConvertAll(a.Shape[1..], static d => (long)d)];
        int per = 1;
        for (int d = 1; d < a.Shape.Length; d++)
        {
            per *= a.Shape[d];
        }

        return a.DType switch
        {
            NpyDType.Float32 => new ProofTensor(name, shape, a.AsSpan<float>().Slice(s * per, per).ToArray(), null),
            NpyDType.Int64 => new ProofTensor(name, shape, null, a.AsSpan<long>().Slice(s * per, per).ToArray()),
            _ => throw new FormatException($"{path}: array '{name}' is {a.DType}; calibration feeds float32 and int64 inputs"),
        };
    }

    private static int? FixedPoints(ValueInfoProto pos) =>
        pos.Type?.TensorType?.Shape?.Dim is { Count: 3 } dims && dims[1].DimValue > 0 ? (int)dims[1].DimValue : null;

    private static int KnnWidth(ValueInfoProto knn, string path)
    {
        var dims = knn.Type?.TensorType?.Shape?.Dim;
        return dims is { Count: 3 } && dims[2].DimValue > 0
            ? (int)dims[2].DimValue
            : throw new FormatException($"{path}: the model's knn input has no fixed K (last dimension) to build the graph with");
    }
}
