using GeoEdge.Geometry;
using GeoEdge.Geometry.IO;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>A split of raw point clouds from an .npz: float32 'pos' [N, P, 3] and int64 'label' [N] (-1 for out-of-distribution clouds).</summary>
internal sealed class CloudDataset
{
    private CloudDataset(string source, PointCloud[] clouds, int[] labels)
    {
        Source = source;
        Clouds = clouds;
        Labels = labels;
    }

    public string Source { get; }

    public IReadOnlyList<PointCloud> Clouds { get; }

    public int[] Labels { get; }

    public int Count => Clouds.Count;

    public static CloudDataset Load(string path)
    {
        IReadOnlyDictionary<string, NpyArray> arrays = NpzFile.Read(path);
        NpyArray pos = arrays.TryGetValue("pos", out NpyArray? p) ? p : throw new FormatException($"{path}: no array 'pos' (float32 [N, P, 3])");
        if (pos.DType != NpyDType.Float32 || pos.Shape.Length != 3 || pos.Shape[2] != 3)
        {
            throw new FormatException($"{path}: 'pos' is {pos.DType} [{string.Join(", ", pos.Shape)}], expected float32 [N, P, 3]");
        }

        int n = pos.Shape[0], points = pos.Shape[1];
        var labels = new int[n];
        if (arrays.TryGetValue("label", out NpyArray? label))
        {
            if (label.DType != NpyDType.Int64 || label.Shape.Length != 1 || label.Shape[0] != n)
            {
                throw new FormatException($"{path}: 'label' is {label.DType} [{string.Join(", ", label.Shape)}], expected int64 [{n}]");
            }

            Span<long> values = label.AsSpan<long>();
            for (int i = 0; i < n; i++)
            {
                labels[i] = checked((int)values[i]);
            }
        }
        else
        {
            Array.Fill(labels, -1);
        }

        Span<float> all = pos.AsSpan<float>();
        var clouds = new PointCloud[n];
        for (int i = 0; i < n; i++)
        {
            clouds[i] = new PointCloud(all.Slice(i * points * 3, points * 3).ToArray());
        }

        return new CloudDataset(path, clouds, labels);
    }

    /// <summary>Refuses labels outside [0, classes) where an in-distribution split is expected.</summary>
    public void RequireLabels(int classes)
    {
        for (int i = 0; i < Labels.Length; i++)
        {
            if (Labels[i] < 0 || Labels[i] >= classes)
            {
                throw new FormatException($"{Source}: label[{i}] = {Labels[i]} is not a class of the model (0..{classes - 1})");
            }
        }
    }
}
